// The OCCI protocol layer: parsing requests, negotiating and rendering responses. Knows
// nothing about clusters.
export * from './model.js';
export * from './errors.js';
export * from './media.js';
export { negotiate } from './negotiate.js';
export { parseOcciRequest, mediaTypeOf, emptyRequest, type OcciRequestInput } from './request.js';
export { parseOcciJson } from './json-request.js';
export { checkLimits, jsonDepth, DEFAULT_LIMITS, DEFAULT_VALUE_BYTES, type OcciLimits } from './limits.js';
export { parseCategory, parseCategories, parseTypeId, renderCategory, renderAttributeDef, type CategoryLine } from './category.js';
export { parseAttribute, parseAttributes, renderAttribute, renderAttributeValue } from './attributes.js';
export { parseLink, parseLinks, renderActionLink } from './link.js';
export { parseLocations, absoluteUrl, locationPath } from './location.js';
export { splitOutsideQuotes, splitHeaderItems } from './split.js';
export { quoteString, readQuoted } from './quoted.js';
export { filterDiscovery, discoveryLines } from './discovery.js';
export { renderEntity, renderCollection, renderDiscovery, renderError, type CollectionItem } from './render.js';
export { resourceJson, kindJson, mixinJson, actionJson } from './render-json.js';
