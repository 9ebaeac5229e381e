// What one request to the disco kind may carry (see occi/limits.ts): small values
// everywhere, except a framework property whose manifest declares a larger maxLength
// (bootstrap's post_init, a script).
import type { FrameworkCatalog } from '../frameworks/catalog.js';
import { DEFAULT_LIMITS, DEFAULT_VALUE_BYTES, type OcciLimits } from '../occi/index.js';
import { componentAttribute } from './attribute-names.js';

export function requestLimits(catalog: FrameworkCatalog): OcciLimits {
  const large = new Map<string, number>();
  for (const f of catalog.all()) {
    const props = (f.parameters as { properties?: Record<string, { maxLength?: number }> }).properties ?? {};
    for (const [p, d] of Object.entries(props)) {
      if (typeof d.maxLength === 'number' && d.maxLength > DEFAULT_VALUE_BYTES) large.set(componentAttribute(f.name, p), d.maxLength);
    }
  }
  return { ...DEFAULT_LIMITS, valueBytes: (name) => large.get(name) ?? DEFAULT_VALUE_BYTES };
}
