// The query interface at /-/ and /.well-known/org/ogf/occi/-/ (identical): every Kind,
// Mixin and Action; a Category in the request filters. Public: it shows only the model.
import { Router } from 'express';
import { DISCOVERY_TYPES, filterDiscovery, renderDiscovery, type Discovery } from '../occi/index.js';
import { methodNotAllowed } from './errors.js';
import { occiRequest } from './occi-input.js';
import { choose, send } from './respond.js';

export function queryRoutes(discovery: Discovery): Router {
  const r = Router();
  for (const path of ['/-/', '/.well-known/org/ogf/occi/-/']) {
    r.get(path, (req, res) => {
      const type = choose(req, DISCOVERY_TYPES);
      const filter = occiRequest(req).categories;
      send(res, renderDiscovery(filterDiscovery(discovery, filter), type));
    });
    r.all(path, methodNotAllowed('GET'));
  }
  return r;
}
