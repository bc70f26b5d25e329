/** Reads onnxruntime's verbose node-placement log (session_state.cc VerifyEachNodeIsAssignedToAnEp). */

/** Where onnxruntime placed a session's nodes. */
export interface Placement {
  /** Set when the log says `All nodes placed on [EP]`. */
  all?: string;
  /** Per EP, each node as `OpType (node name)`, when nodes were split between providers. */
  nodes: Record<string, string[]>;
}

/** Parses the placement lines of one session's verbose log; `null` when there are none. */
export function parsePlacement(lines: readonly string[]): Placement | null {
  let current: string[] | null = null;
  const placement: Placement = { nodes: {} };
  let seen = false;
  for (const line of lines) {
    const all = /All nodes placed on \[(\w+)\]/.exec(line);
    const some = /Node\(s\) placed on \[(\w+)\]/.exec(line);
    const node = /VerifyEachNodeIsAssignedToAnEp\]\s{2,}(\S+ \(.*\))\s*$/.exec(line);
    if (all) [placement.all, seen] = [all[1], true];
    else if (some) [current, seen] = [(placement.nodes[some[1]] = []), true];
    else if (node && current) current.push(node[1]);
    else current = null;
  }
  return seen ? placement : null;
}

/** Op types of the nodes not on `ep`, sorted, ignoring the Memcpy nodes onnxruntime inserts. */
export function opsNotOn(placement: Placement, ep: string): string[] {
  if (placement.all) return placement.all === ep ? [] : [`<all ${placement.all}>`];
  return Object.entries(placement.nodes)
    .filter(([name]) => name !== ep)
    .flatMap(([, nodes]) => nodes.map((n) => n.split(' ')[0]))
    .filter((op) => !op.startsWith('Memcpy'))
    .sort();
}
