// The scheduler's task relations use the protocol's Members (one member inline, a Set from the second on).
export { Members } from "@tessera/protocol";
export type { ReadonlyMembers } from "@tessera/protocol";
