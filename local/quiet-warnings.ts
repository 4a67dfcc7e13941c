/**
 * The AWS SDK warns on every start under Node 20 that its releases after January 2027 will need
 * Node 22. The Lambda runtime is newer; on a developer's Node 20 the warning only buries the
 * CLI's one-line errors and `npm start`'s URLs, so it alone is dropped. Every other warning stays.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.startsWith('NodeVersionSupportWarning')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
