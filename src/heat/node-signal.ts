// How a node's signal reads once Heat has it: the node script (user-data.ts) sends the reason
// "node=<name> framework=<section>: <text>"; Heat records each signal as a SIGNAL event
// "Signal: status:<STATUS> reason:<reason>", and a FAILURE ends up in the stack's status
// reason. One reader for all three uses (progress, events, BOOTSTRAP_FAILED).
export interface NodeSignal { node: string; framework: string; text: string }

const REASON = /node=(\S+) framework=(\S+): ([\s\S]*)$/;
const EVENT = /^Signal: status:(SUCCESS|FAILURE) reason:(node=[\s\S]*)$/;
/** Heat keeps 255 characters of a signal's reason; a status reason quotes one at its end.
 * Only this much of a text is read: the search tries each "node=", so its cost grows with
 * the square of what it reads. */
export const READ_CHARS = 1024;

/** A node's reason anywhere in a text (a stack's status reason quotes it at its end). */
export function nodeReason(text: string): NodeSignal | null {
  const m = REASON.exec(text.length > READ_CHARS ? text.slice(-READ_CHARS) : text);
  return m ? { node: m[1]!, framework: m[2]!, text: m[3]! } : null;
}

/** A SIGNAL event's reason read back. */
export function signalEvent(statusReason: string): (NodeSignal & { status: 'SUCCESS' | 'FAILURE' }) | null {
  const m = EVENT.exec(statusReason.length > READ_CHARS ? statusReason.slice(0, READ_CHARS) : statusReason);
  const r = m ? nodeReason(m[2]!) : null;
  return m && r ? { status: m[1] as 'SUCCESS' | 'FAILURE', ...r } : null;
}
