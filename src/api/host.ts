// The Host header, which makes the base of absolute URLs when SM_PUBLIC_URL is not set: a
// host name or address and an optional port, nothing else (RFC 9110 7.2: a Host that is not
// one is a 400). A Host with ';', ',', '<', '>' or spaces would change the meaning of the
// Link and Location headers built from it; a very long one only costs memory.
import type { Request } from 'express';
import { badAttribute } from '../errors/domain-error.js';
import { baseUrl } from './respond.js';

export const HOST_MAX = 255;

/** A DNS name, an IPv4 address or a bracketed IPv6 address, then an optional :port. */
const HOST = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** Whether a Host value (or none, as HTTP/1.0 allows) may be used. */
export function hostOk(host: string | undefined): boolean {
  return host === undefined || (host.length <= HOST_MAX && HOST.test(host));
}

/** A refusal (400 naming Host) unless the request's Host is a host name or address. */
export function checkHost(host: string | undefined): void {
  if (!hostOk(host)) {
    throw badAttribute('Host', `a host name or address with an optional port, at most ${HOST_MAX} characters`,
      host!.length > 60 ? `${host!.slice(0, 60)}...` : host);
  }
}

/** baseUrl() of the request, its Host checked first. */
export function requestBaseUrl(req: Request, configured: string | null): string {
  checkHost(req.get('host'));
  return baseUrl(req, configured);
}
