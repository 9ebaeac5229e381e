#!/usr/bin/python3
"""Create Keystone objects idempotently. One command per line on stdin:

  project NAME
  role NAME
  user NAME PASSWORD PROJECT ROLE        user in Default, ROLE granted on PROJECT
  grant USER PROJECT ROLE
  domain NAME
  domain_user DOMAIN NAME PASSWORD ROLE  user in DOMAIN with ROLE on that domain
  service NAME TYPE URL                  public/internal/admin endpoints in RegionOne

Admin credentials come from the OS_* environment. Uses python3-keystoneclient,
which Debian's keystone package already brings. Never prints a password.
"""
import os
import sys
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client
from keystoneauth1 import exceptions

auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username=os.environ['OS_USERNAME'],
                   password=os.environ['OS_PASSWORD'], project_name=os.environ['OS_PROJECT_NAME'],
                   user_domain_id='default', project_domain_id='default')
ks = client.Client(session=session.Session(auth=auth), interface='public')


def first(items, **kw):
    return next((i for i in items if all(getattr(i, k, None) == v for k, v in kw.items())), None)


def ensure(find, create):
    """find() or create(); a Conflict means a list answered too early (seen on a busy
    Keystone): look again."""
    for attempt in range(5):
        found = find()
        if found:
            return found
        try:
            return create()
        except exceptions.Conflict:
            time.sleep(1 + attempt)
    sys.exit('keystone keeps answering Conflict without listing the object')


def project(name, dom='default'):
    return ensure(lambda: first(ks.projects.list(domain=dom, name=name), name=name), lambda: ks.projects.create(name, dom))


def role(name):
    return first(ks.roles.list(name=name), name=name) or ks.roles.create(name)


def domain(name):
    return first(ks.domains.list(name=name), name=name) or ks.domains.create(name)


def password_works(name, password, dom):
    try:
        session.Session(auth=v3.Password(auth_url=os.environ['OS_AUTH_URL'], username=name, password=password,
                                         user_domain_id=dom, unscoped=True)).get_auth_headers()
        return True
    except exceptions.Unauthorized:
        return False


def user(name, password, dom='default', default_project=None):
    u = first(ks.users.list(domain=dom, name=name), name=name)
    if u:
        # set only when it changed: each update revokes the user's tokens (a revocation
        # event that every later validation checks) and costs a hash
        if not password_works(name, password, dom):
            ks.users.update(u, password=password)
        return u
    return ensure(lambda: first(ks.users.list(domain=dom, name=name), name=name),
                  lambda: ks.users.create(name, domain=dom, password=password, default_project=default_project))


for line in sys.stdin:
    a = line.split()
    if not a or a[0].startswith('#'):
        continue
    cmd, args = a[0], a[1:]
    if cmd == 'project':
        project(args[0])
    elif cmd == 'role':
        role(args[0])
    elif cmd == 'user':
        p = project(args[2])
        ks.roles.grant(role(args[3]), user=user(args[0], args[1], default_project=p), project=p)
    elif cmd == 'grant':
        u = None
        for attempt in range(5):  # a list may answer empty for a moment on a busy Keystone
            u = first(ks.users.list(domain='default', name=args[0]), name=args[0])
            if u:
                break
            time.sleep(1 + attempt)
        if u is None:
            sys.exit('no user %s to grant a role to' % args[0])
        ks.roles.grant(role(args[2]), user=u, project=project(args[1]))
    elif cmd == 'domain':
        domain(args[0])
    elif cmd == 'domain_user':
        d = domain(args[0])
        ks.roles.grant(role(args[3]), user=user(args[1], args[2], dom=d.id), domain=d)
    elif cmd == 'service':
        name, typ, url = args
        s = first(ks.services.list(type=typ), name=name) or ks.services.create(name, typ)
        have = ks.endpoints.list(service=s)
        for iface in ('public', 'internal', 'admin'):
            e = first(have, interface=iface)
            if e is None:
                ks.endpoints.create(s, url, interface=iface, region='RegionOne')
            elif e.url != url:
                ks.endpoints.update(e, url=url)
    else:
        sys.exit('unknown command: %s' % cmd)
    print('ok:', cmd, args[0] if args else '', file=sys.stderr)
