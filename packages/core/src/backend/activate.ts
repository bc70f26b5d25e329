/** Switching backends with a typed error instead of tfjs's console warning. */

import { BackendError } from '../errors.js';
import { tf } from '../tf.js';

/**
 * Makes `name` the active tfjs backend and waits until it is ready. tf.setBackend only
 * logs a warning and resolves false when a backend fails to initialise; this throws.
 *
 * @param hint - Appended to the error message (what the caller can do instead).
 * @throws BackendError when the backend is not registered or fails to initialise.
 */
export async function activate(name: string, hint = ''): Promise<void> {
  if (tf.findBackendFactory(name) == null) {
    throw new BackendError(`The tfjs backend '${name}' is not registered.${hint}`);
  }
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new BackendError(
      `The tfjs backend '${name}' failed to initialise (tf.setBackend returned false; tfjs logged the cause above).${hint}`,
    );
  }
  await tf.ready();
}
