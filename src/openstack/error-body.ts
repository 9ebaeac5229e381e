// OpenStack services each shape their error bodies differently; this reads the message
// and the error type out of any of them.
//   Keystone: {"error": {"code", "message", "title"}}
//   Heat:     {"code", "explanation", "title", "error": {"message", "type", "traceback"}}
//   Nova:     {"itemNotFound" | "badRequest" | "forbidden" | ...: {"code", "message"}}
//   Neutron:  {"NeutronError": {"type", "message", "detail"}}
//   Glance / webob: plain text or HTML
const MAX_MESSAGE = 1000;

export interface ErrorBody { message?: string; type?: string }

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

export function parseErrorBody(body: string): ErrorBody {
  if (!body) return {};
  let json: unknown;
  try { json = JSON.parse(body); } catch { json = undefined; }
  if (isObject(json)) {
    const err = json.error;
    if (isObject(err)) {
      const message = str(err.message) ?? str(json.explanation);
      const type = str(err.type) ?? str(err.title) ?? str(json.title);
      return { ...(message ? { message: clip(message) } : {}), ...(type ? { type } : {}) };
    }
    const keys = Object.keys(json);
    if (keys.length === 1 && isObject(json[keys[0]!])) {
      const inner = json[keys[0]!] as Record<string, unknown>;
      const message = str(inner.message) ?? str(inner.detail);
      const type = str(inner.type) ?? keys[0]!;
      return { ...(message ? { message: clip(message) } : {}), type };
    }
    const message = str(json.message) ?? str(json.explanation) ?? str(json.title);
    return message ? { message: clip(message) } : {};
  }
  // [^<>]: a tag ends at the next '<' too, so many unclosed '<' cost one pass, not one each
  const text = body.replace(/<[^<>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text ? { message: clip(text) } : {};
}
