// Glance v2 (image): images by id or name.
import { ConflictError, NotFoundError } from './errors.js';
import type { OpenStackHttp } from './http.js';
import { seg, ServiceClient } from './service-client.js';
import type { Session } from './session.js';

export interface Image {
  id: string; name: string; status: string; visibility: string; minDiskGb: number; minRamMb: number;
  /** Who logs in to servers of it (the image property os_admin_user), when that is a plain user name. */
  adminUser?: string;
}

/** What a login name may look like before it is reported (Debian's adduser rule, shortened). */
const LOGIN = /^[a-z_][a-z0-9_-]{0,31}$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An image as Glance's API gives it. */
export function toImage(r: Record<string, unknown>): Image {
  return {
    id: String(r.id), name: String(r.name ?? ''), status: String(r.status), visibility: String(r.visibility),
    minDiskGb: Number(r.min_disk ?? 0), minRamMb: Number(r.min_ram ?? 0),
    ...(typeof r.os_admin_user === 'string' && LOGIN.test(r.os_admin_user) ? { adminUser: r.os_admin_user } : {}),
  };
}

export class GlanceClient extends ServiceClient {
  constructor(session: Session, http: OpenStackHttp) { super(session, http, 'glance', 'image', 'v2'); }

  /** The active images the project may use (the first `limit`, by name). */
  async images(limit = 200): Promise<Image[]> {
    const res = await this.request('images', 'GET', '/images', { query: { status: 'active', limit: String(limit), sort: 'name:asc' } });
    return ((res.body as { images?: Record<string, unknown>[] }).images ?? []).map(toImage);
  }

  /** An image by id, else by exact name (two images with that name: ConflictError). */
  async image(nameOrId: string): Promise<Image> {
    if (UUID.test(nameOrId)) {
      try {
        const res = await this.request('image', 'GET', `/images/${seg(nameOrId)}`);
        return toImage(res.body as Record<string, unknown>);
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
    const res = await this.request('images', 'GET', '/images', { query: { name: nameOrId } });
    const found = ((res.body as { images?: Record<string, unknown>[] }).images ?? []).map(toImage);
    const details = { service: 'glance', operation: 'glance.image' };
    if (found.length === 0) throw new NotFoundError('OS_NOT_FOUND', `no image with name or id ${JSON.stringify(nameOrId)}`, { ...details, status: 404 });
    if (found.length > 1) throw new ConflictError('OS_CONFLICT', `${found.length} images are named ${JSON.stringify(nameOrId)}: use its id`, { ...details, status: 409 });
    return found[0]!;
  }
}
