"""Verifiable Credentials core: offline JSON-LD contexts, RDFC-1.0 canonicalisation, the eddsa-rdfc-2022
Data Integrity cryptosuite and the Bitstring Status List. Pure functions, no Django."""
