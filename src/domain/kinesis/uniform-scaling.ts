/**
 * UpdateShardCount's UNIFORM_SCALING as a plan of splits and merges: AWS ends with the key space cut
 * evenly over the target count, however uneven the open shards were, and gets there the way a
 * client could: each target boundary inside an open shard splits it, and the pieces that make up
 * one target range merge left to right. Pieces split again or merged on are short-lived shards:
 * opened and closed in the same step, they still show in ListShards (closed), so every child names
 * at most two parents that exist. Pure: BigInt arithmetic over the shard map.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateShardCount.html
 */
import { evenHashRanges, indexOf, isOpen, type HashRange } from "./shard-map";

/** The ranges a stream of `count` shards has after CreateStream, and after UpdateShardCount to `count`. */
export const uniformHashRanges = evenHashRanges;
import type { ReshardPlan, ShardInfo } from "./contract";

/** A stretch of the key space held by one shard: an existing one, or a child this plan creates. */
interface Piece extends HashRange {
  index: number;
}

const byStart = (a: ShardInfo, b: ShardInfo) => {
  const d = BigInt(a.startingHashKey) - BigInt(b.startingHashKey);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/**
 * The splits and merges that turn the open shards (which always cover the key space) into `target`
 * uniform ones, range by range from the left: the shard holding a range's end past it is split
 * there (its right part carries on into the next range), then the range's pieces are merged left to
 * right. Children take shard indexes on from the highest existing one in that order, as AWS numbers
 * them (4 → 3 leaves shards 6, 9 and 10 open); `close` lists every parent, existing or planned. A
 * plan with nothing to create means the open shards are uniform already.
 */
export function planUniformScaling(shards: ShardInfo[], target: number): ReshardPlan {
  const firstIndex = shards.reduce((max, s) => Math.max(max, indexOf(s)), -1) + 1;
  const plan: ReshardPlan = { close: [], create: [], firstIndex };
  let next = firstIndex;
  const child = (range: HashRange, parent: number, adjacentParent?: number): Piece => {
    plan.create.push({
      parent,
      ...(adjacentParent === undefined ? {} : { adjacentParent }),
      startingHashKey: range.start.toString(),
      endingHashKey: range.end.toString(),
    });
    return { index: next++, ...range };
  };

  const open = shards.filter(isOpen).sort(byStart);
  let taken = 0;
  let carry: Piece | undefined;
  const take = (): Piece => {
    const piece = carry;
    carry = undefined;
    if (piece) return piece;
    const shard = open[taken++];
    if (!shard) throw new Error("the open shards do not cover the hash key space");
    return { index: indexOf(shard), start: BigInt(shard.startingHashKey), end: BigInt(shard.endingHashKey) };
  };
  for (const range of evenHashRanges(target)) {
    const group: Piece[] = [];
    do {
      const piece = take();
      if (piece.end <= range.end) {
        group.push(piece);
        continue;
      }
      plan.close.push(piece.index);
      group.push(child({ start: piece.start, end: range.end }, piece.index));
      carry = child({ start: range.end + 1n, end: piece.end }, piece.index);
    } while (group[group.length - 1]!.end < range.end);
    let merged = group[0]!;
    for (const right of group.slice(1)) {
      plan.close.push(merged.index, right.index);
      merged = child({ start: merged.start, end: right.end }, merged.index, right.index);
    }
  }
  return plan;
}
