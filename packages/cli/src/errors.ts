/** A usage error: wrong command, arch, dataset or option. The CLI exits with code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}
