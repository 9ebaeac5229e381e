// One event of GET /disco/<id>/events as people read it: who said it and what, for the
// dashboard's events table and the CLI's `disco events`.
import type { ClusterEvent } from './types.js';

export function eventLine(e: ClusterEvent): { who: string; what: string } {
  switch (e.source) {
    case 'service': return { who: 'service', what: `${e.state}${e.reason ? ` (${e.reason})` : ''}${e.message ? `: ${e.message}` : ''}` };
    case 'heat': return { who: `heat ${e.resource}`, what: `${e.status}${e.reason ? `: ${e.reason}` : ''}` };
    case 'node': return { who: `node ${e.node}`, what: `${e.framework ? `${e.framework} ` : ''}${e.status}${e.reason ? `: ${e.reason}` : ''}` };
  }
}
