// The text renderings. text/plain: `Name: value` lines in the body. text/occi: the same values
// as response headers (arrays: one header line each; non-ASCII escaped as \uXXXX since header
// values are Latin-1) and the body `OK`. text/uri-list: one absolute URL per line.
import { renderAttribute } from './attributes.js';
import { renderCategory } from './category.js';
import { discoveryLines } from './discovery.js';
import { renderActionLink } from './link.js';
import { absoluteUrl } from './location.js';
import type { Rendered } from './media.js';
import type { Discovery, EntityView } from './model.js';

export type TextType = 'text/plain' | 'text/occi';

type Section = [header: string, values: string[]];

function render(sections: Section[], type: TextType): Rendered {
  if (type === 'text/occi') {
    const headers: Record<string, string[]> = {};
    for (const [name, values] of sections) if (values.length > 0) headers[name] = [...(headers[name] ?? []), ...values];
    return { contentType: type, headers, body: 'OK' };
  }
  const lines = sections.flatMap(([name, values]) => values.map((v) => `${name}: ${v}\n`));
  return { contentType: type, headers: {}, body: lines.join('') };
}

/** Category lines rendered once: every cluster names the same kind and a few of the same mixins
 * (their escaping was a tenth of a text GET's rendering, measured with --cpu-prof). Bounded. */
const categories = new Map<string, string>();

export function renderEntityText(view: EntityView, type: TextType): Rendered {
  const o = { ascii: type === 'text/occi' };
  const cat = (c: { term: string; scheme: string; title: string }, cls: 'kind' | 'mixin'): string => {
    const key = JSON.stringify([cls, c.term, c.scheme, c.title, o.ascii]);
    let line = categories.get(key);
    if (line === undefined) {
      line = renderCategory({ term: c.term, scheme: c.scheme, class: cls, title: c.title }, o);
      if (categories.size >= 1000) categories.clear();
      categories.set(key, line);
    }
    return line;
  };
  return render([
    ['Category', [cat(view.kind, 'kind'), ...view.mixins.map((m) => cat(m, 'mixin'))]],
    ['Link', view.actions.map((a) => renderActionLink(view.location, a, o))],
    ['X-OCCI-Attribute', view.attributes
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([name, v]) => renderAttribute(name, v, o))],
  ], type);
}

export function renderCollectionText(locations: readonly string[], type: TextType | 'text/uri-list', baseUrl: string): Rendered {
  const urls = locations.map((l) => absoluteUrl(baseUrl, l));
  if (type === 'text/uri-list') return { contentType: type, headers: {}, body: urls.map((u) => `${u}\n`).join('') };
  return render([['X-OCCI-Location', urls]], type);
}

export function renderDiscoveryText(d: Discovery, type: TextType): Rendered {
  const o = { ascii: type === 'text/occi' };
  return render([['Category', discoveryLines(d).map((c) => renderCategory(c, o))]], type);
}
