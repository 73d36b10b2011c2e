/**
 * Subscription filter policies (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html):
 * validating a FilterPolicy attribute with AWS's error texts, and deciding whether a message passes it.
 *
 *   filter-policy-validate.ts   size, JSON syntax, operators and operands, keys, nesting, complexity
 *   filter-policy-match.ts      matching message attributes or a JSON body against a policy
 *   filter-policy-json.ts       JSON syntax check and re-serialization, in the words of AWS's Java parser
 *   filter-policy-cursor.ts     the parser positions AWS quotes in rule errors
 *   filter-policy-values.ts     number and IP address semantics shared by both
 */
export { validateFilterPolicy, type FilterPolicyScope } from "./filter-policy-validate";
export { matchesFilterPolicy, type FilterableMessage, type MessageAttribute } from "./filter-policy-match";
