// The disco kind's OCCI attribute names, built and parsed here only: the fixed ones (ICCLab's
// names, kept for its clients) and a framework property's icclab.disco.components.<fw>.<p>.
// A leaf module: the domain names attributes in its refusals, so anything may import it.
const COMPONENTS = 'icclab.disco.components.';
export const HEAT = `${COMPONENTS}heat.`;
export const ATTR = {
  networkName: `${HEAT}networkname`,
  externalNetwork: `${HEAT}externalnetworkname`,
  masterImage: `${HEAT}masterimage`,
  workerImage: `${HEAT}slaveimage`,
  masterFlavor: `${HEAT}masterflavor`,
  workerFlavor: `${HEAT}slaveflavor`,
  workers: `${HEAT}slavecount`,
  inject: 'icclab.disco.dependencies.inject',
  username: 'icclab.disco.deployer.username',
  password: 'icclab.disco.deployer.password',
  region: 'icclab.disco.deployer.region',
  dryRun: 'icclab.disco.dryrun',
  lifetime: 'icclab.disco.lifetime',
  deadline: 'icclab.disco.deadline',
  action: 'action',
} as const;

/** Where the gateway serves a web UI (or `status`, the nodes' progress pages). */
export function uiAttribute(name: string): string {
  return `icclab.disco.ui.${name}`;
}

/** A framework property's attribute name. */
export function componentAttribute(framework: string, property: string): string {
  return `${COMPONENTS}${framework}.${property}`;
}

/** icclab.disco.components.<fw>.<p> read back (not the heat.* ones, which are the kind's own); null otherwise. */
export function parseComponentAttribute(name: string): { framework: string; property: string } | null {
  if (!name.startsWith(COMPONENTS) || name.startsWith(HEAT)) return null;
  const rest = name.slice(COMPONENTS.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) return null;
  return { framework: rest.slice(0, dot), property: rest.slice(dot + 1) };
}

/** Whether a name is a component attribute (a framework property or a heat.* one). */
export const isComponentAttribute = (name: string): boolean => name.startsWith(COMPONENTS);
