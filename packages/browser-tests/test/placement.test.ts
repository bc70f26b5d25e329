import { describe, expect, it } from 'vitest';
import { opsNotOn, parsePlacement } from '../src/placement.js';

const V = '[V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]';

describe('parsePlacement', () => {
  it('reads "All nodes placed on"', () => {
    const p = parsePlacement(['noise', `2026 ${V}  All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 4`]);
    expect(p).toEqual({ all: 'WebGpuExecutionProvider', nodes: {} });
    expect(opsNotOn(p!, 'WebGpuExecutionProvider')).toEqual([]);
    expect(opsNotOn(p!, 'JsExecutionProvider')).toEqual(['<all WebGpuExecutionProvider>']);
  });

  it('reads split placements and lists the op types off an EP, without Memcpy nodes', () => {
    const p = parsePlacement([
      `${V} Node placements`,
      `${V}  Node(s) placed on [JsExecutionProvider]. Number of nodes: 2`,
      `${V}   Gather (embedding_Embedding1/Gather)`,
      `${V}   MemcpyFromHost (Memcpy)`,
      `${V}  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 2`,
      `${V}   Cast (embedding_Embedding1/Cast)`,
      `${V}   Shape (s)`,
      '[W:onnxruntime:, session_state.cc:1397 VerifyEachNodeIsAssignedToAnEp] Some nodes were not assigned',
    ]);
    expect(p?.nodes.CPUExecutionProvider).toEqual(['Cast (embedding_Embedding1/Cast)', 'Shape (s)']);
    expect(opsNotOn(p!, 'JsExecutionProvider')).toEqual(['Cast', 'Shape']);
  });

  it('returns null without placement lines', () => {
    expect(parsePlacement(['[harness] begin x'])).toBeNull();
  });
});
