"""ML2 mechanism driver for the local cloud: binds every port on every host
with no L2 agent (there is no OVS or linuxbridge here). Ports go ACTIVE at once
with vif_type 'ovs', which is all Nova's fake virt driver needs.
Registered as 'osl_fake' by the entry point in osl_fake_mech-0.1.dist-info.
"""
from neutron_lib import constants as const
from neutron_lib.api.definitions import portbindings
from neutron_lib.plugins.ml2 import api


class FakeBindAllMechanismDriver(api.MechanismDriver):

    def initialize(self):
        pass

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS,
                                {portbindings.CAP_PORT_FILTER: True,
                                 portbindings.OVS_HYBRID_PLUG: False},
                                status=const.PORT_STATUS_ACTIVE)
            return

    def filter_hosts_with_segment_access(self, context, segments,
                                         candidate_hosts, agent_getter):
        return set(candidate_hosts)

    @property
    def resource_provider_uuid5_namespace(self):
        return None

    def get_standard_device_mappings(self, agent):
        return {}
