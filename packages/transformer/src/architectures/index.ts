/** The family's architectures for `neurozoo train`: `gpt` (character GPT on Brown) and `transformer` (G2P on CMUdict). */
import type { ArchitectureSpec } from '@neurozoo/core';
import { g2pArchitecture } from './g2p.js';
import { gptArchitecture } from './gpt.js';

export { G2P_TRANSFORMER_CONFIG, g2pArchitecture, g2pPairsOf, inspectG2P, predictG2P } from './g2p.js';
export { generateText, gptArchitecture } from './gpt.js';

/** Every architecture of @neurozoo/transformer, for the CLI. */
export const architectures: ArchitectureSpec[] = [gptArchitecture, g2pArchitecture];
