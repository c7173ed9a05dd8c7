//! Importers that turn another tool's description of hardware into topo.
//! (`topo import netbox` predates this module and lives in `netbox`.)

pub mod hwloc;
