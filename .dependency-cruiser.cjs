/**
 * The layers of src/ (README, "Development"), checked by dependency-cruiser in `npm test`:
 *
 *   worker.ts → protocol/ → services/ → durable/ → domain/
 *
 * An arrow may skip layers downwards, never point up; no import cycles (type-only imports count);
 * a service's folder does not import another service's (they meet in domain/ or through objects).
 */
const LAYERS = ["worker", "protocol", "services", "durable", "domain"];
const path = (layer) => (layer === "worker" ? "^src/worker\\.ts$" : `^src/${layer}/`);

const upward = LAYERS.flatMap((layer, i) =>
  LAYERS.slice(0, i).map((above) => ({
    name: `${layer}-not-to-${above}`,
    comment: `src/${layer} is below src/${above}: dependencies point down (worker → protocol → services → durable → domain)`,
    severity: "error",
    from: { path: path(layer) },
    to: { path: path(above) },
  })),
);

module.exports = {
  forbidden: [
    ...upward,
    {
      name: "no-cycles",
      comment: "import cycles make the layers meaningless and the modules hard to read one at a time",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "services-are-plug-ins",
      comment: "a service folder imports no other service's folder; shared rules live in domain/",
      severity: "error",
      from: { path: "^src/services/([^/]+)/" },
      to: { path: "^src/services/([^/]+)/", pathNot: "^src/services/$1/" },
    },
    {
      name: "domain-is-pure",
      comment: "domain/ is plain logic: no Workers runtime modules",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { path: "^cloudflare:" },
    },
    {
      name: "not-to-unresolvable",
      comment: "an import that does not resolve",
      severity: "error",
      from: {},
      to: { couldNotResolve: true, pathNot: "^cloudflare:" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "\\.d\\.ts$" },
  },
};
