from hypothesis import given
from hypothesis import strategies as st

from cqp.catalogue import enums, rights

routes = st.lists(st.sampled_from([r.value for r in enums.AccessRoute]), unique=True)


@given(registry=st.sampled_from(list(enums.Registry.values)), active=st.booleans(), access_routes=routes)
def test_vae_needs_an_active_rncp_registration_open_to_vae(registry, active, access_routes):
    opened = rights.vae_open(registry=registry, active=active, access_routes=access_routes)
    assert opened == (registry == "RNCP" and active and "VAE" in access_routes)
    # Whatever the answer, the reason says it in French.
    assert rights.vae_reason(registry=registry, active=active, access_routes=access_routes)


@given(registry=st.sampled_from(list(enums.Registry.values)), active=st.booleans())
def test_cpf_needs_an_active_rncp_or_rs_registration(registry, active):
    assert rights.cpf_eligible(registry=registry, active=active) == (registry in ("RNCP", "RS") and active)


def test_unregistered_cqp_opens_neither_vae_nor_cpf():
    assert not rights.vae_open(registry="NONE", active=True, access_routes=["VAE"])
    assert not rights.cpf_eligible(registry="NONE", active=True)
    assert "ni au RNCP" in rights.cpf_reason(registry="NONE", active=True)
