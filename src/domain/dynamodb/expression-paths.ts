/**
 * Document paths as AWS shows and compares them in its errors: `[a, b, [3]]` with placeholders
 * resolved, and the rule that the paths of one update (or one projection) may not overlap (one the
 * same as or inside another) nor conflict (one attribute used as a map by one and as a list by the
 * other). Texts and order from dynalite's update/projection grammars (tested against AWS): the first
 * overlap wins over any conflict, each later path compared with every earlier one.
 */
import type { Path } from "./contract";
import type { ExpressionContext } from "./expression-names";
import type { RawPath } from "./expression-syntax";

type Step = { name: string } | { index: string };

function steps(path: RawPath, ctx: ExpressionContext): Step[] {
  return path.parts.map((part) =>
    part.kind === "index"
      ? { index: part.text }
      : { name: part.placeholder ? (ctx.peekName(part.name) ?? part.name) : part.name },
  );
}

const stepText = (step: Step) => ("index" in step ? `[${step.index}]` : step.name);

export const pathText = (path: RawPath, ctx: ExpressionContext) => `[${steps(path, ctx).map(stepText).join(", ")}]`;

export function samePath(a: RawPath, b: RawPath, ctx: ExpressionContext): boolean {
  const x = steps(a, ctx);
  const y = steps(b, ctx);
  return x.length === y.length && x.every((step, i) => sameStep(step, y[i]!));
}

const sameStep = (a: Step, b: Step) =>
  "index" in a ? "index" in b && Number(a.index) === Number(b.index) : "name" in b && a.name === b.name;

/** The overlap or conflict refusal for a list of paths, or undefined. */
export function pathClash(paths: RawPath[], ctx: ExpressionContext): string | undefined {
  let conflict: string | undefined;
  const all = paths.map((path) => steps(path, ctx));
  for (let later = 1; later < all.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      const a = all[earlier]!;
      const b = all[later]!;
      const text = () =>
        `must remove or rewrite one of these paths; path one: ${pathText(paths[earlier]!, ctx)}, path two: ${pathText(paths[later]!, ctx)}`;
      const verdict = compare(a, b);
      if (verdict === "overlap") return `Two document paths overlap with each other; ${text()}`;
      if (verdict === "conflict" && conflict === undefined) conflict = `Two document paths conflict with each other; ${text()}`;
    }
  }
  return conflict;
}

function compare(a: Step[], b: Step[]): "overlap" | "conflict" | "apart" {
  for (let i = 0; i < a.length && i < b.length; i++) {
    if ("index" in a[i]! !== "index" in b[i]!) return "conflict";
    if (!sameStep(a[i]!, b[i]!)) return "apart";
  }
  return "overlap";
}

/** The contract's form of a path, names resolved (each placeholder marked used). */
export function toPath(path: RawPath, ctx: ExpressionContext): Path {
  return path.parts.map((part) =>
    part.kind === "index"
      ? { index: Number(part.text) }
      : { name: part.placeholder ? (ctx.name(part.name) ?? part.name) : part.name },
  );
}
