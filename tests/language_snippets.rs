//! Every statement form of the language parses and lowers into the model, with
//! the meaning the contract gives it. The snippets are joined into one
//! project; the few names they use without declaring are declared first.

use topo::check::check_sources;
use topo::model::graph::Edge;
use topo::model::units::Draw;
use topo::model::*;

const SUPPORT: &str = r#"
# Names the contract's snippets use without declaring them.
switch tor2 { rack t1 at U41; size 1U; draw 1.5A; weight 9kg }
switch core1 { site tokyo }
storage san1 { site tokyo }
storage san2 { site tokyo }
storage san-array1 { site tokyo }
server host1 { site tokyo }
server host2 { site tokyo }
server ap[1..2] : r650 { rack t1 at U10 }
server db2 : r650 { rack t1 at U21 }
server odb[1..4] : r650 { rack t1 at U30 }
server dns[1..2] : r650 { rack t1 at U35 }
server ingest-host { site plant7 }
service ingest on ingest-host
client collector { software collector-agent }
service shop-db-dr on host2 { stateful }
service web-e on host1
service ap-e on host1
service db-e on host1
service web-w on host2
service ap-w on host2
service db-w on host2
"#;

const SNIPPETS: &str = r#"
site tokyo { role primary }
site osaka { role dr; backs tokyo }            # C11: DR site for tokyo
site plant7 { role edge; upstream tokyo; uplink 200Mb/s }   # C9

feed tokyo-a { site tokyo; circuit 30A at 208V }   # a branch circuit / power feed
feed tokyo-b { site tokyo; circuit 30A at 208V }

rack t1 {
  site tokyo
  height 42U
  feeds tokyo-a tokyo-b      # power feeds are fault domains
  max-weight 1000kg          # static load rating of the rack
  weight 120kg               # the empty rack itself (optional)
}

model r650 {
  size 1U
  draw 2.4A            # or 500W; current is converted at the rack's voltage
  weight 19.9kg
  psu 2                # power supplies; with two feeds each PSU takes one
  cpu cpu[0..1] {
    cores 32
    memory ddr4-3200 { channels 8; dimms 1 1 1 1 1 1 1 1 }   # DIMMs per channel
  }
  chipset pch { bus dmi3 to cpu0 }
  nic nic0 { ports 2 x 25GbE; bus pcie4 x8 to cpu0 }
  disk nvme[0..1] { nvme; throughput 7GB/s; bus pcie4 x4 to cpu1 }
}

server web[1..4] : r650 { rack t1 at U1 }      # web1 at U1, web2 at U2, ...
server db1 : r650 { rack t1 at U20; draw 3A }
switch tor1 { rack t1 at U42; size 1U; draw 1.5A; weight 9kg; ports 48 x 25GbE }

link web[1..4] to tor1 tor2 { speed 25GbE }   # every left device to every right one
link tor1 tor2 to core1 { speed 100GbE }
link db1 to san1 san2 { speed 32GFC }

vm app-vm[1..2] on host1 { failover host2; ram 32GB }   # host1 is the VM's fault domain

tier web { role presentation }
tier ap  { role application }
tier db  { role data }

service shop-web on web[1..4] {
  tier web
  process-model prefork; workers 256     # T1, informational
  calls shop-ap
  load 3000rps; capacity 1000rps         # total load; capacity per instance
}
service shop-ap on ap[1..2] { tier ap; threads 200; calls shop-db; pool shop-db 60 }
service shop-db on db1 db2 {
  tier db
  stateful
  ha active-standby                       # or active-active (C10)
  max-connections 100                     # T3
  cache 64GB                              # T4; in-memory for an in-memory DB
  storage san-array1                      # T4, P6: its data lives on this storage device
}
service orders on odb[1..4] {
  tier db; stateful
  shard by customer-id { weights 25% 25% 35% 15% }   # C6, C7
}

client browser { browser }                        # a thin client (C5)
client pos { software pos-terminal "4.2" }        # a fat client with installed software (C4)
dns ns on dns[1..2] { resolves shop-web }          # name resolution (T2)
cdn assets-cdn { origin shop-web; pops 40 }        # T6

flow checkout { browser -> shop-web -> shop-ap -> shop-db; content dynamic; rate 800rps }
flow images   { browser -> assets-cdn -> shop-web; content static }
flow telemetry { collector -> ingest; content results; rate 40Mb/s }

partition east { services web-e ap-e db-e }   # the services of one independent copy
partition west { services web-w ap-w db-w }
replicate shop-db to shop-db-dr { mode async; rpo 5m; rto 30m }

include "models/dell.topo"       # relative to the including file; each file once
allow bus-bottleneck             # at top level: for this file
model suppressed {
  cpu cpu0 { cores 4 }
  nic nic0 { allow bus-bottleneck; ports 2 x 100GbE; bus pcie3 x8 to cpu0 }  # for this element
}
"#;

const DELL: &str = "model r750 { size 2U; draw 800W; weight 28kg; psu 2 }\n";

fn project() -> Project {
    let main = format!("{SNIPPETS}{SUPPORT}");
    let checked = check_sources(&[("dc/main.topo", &main), ("dc/models/dell.topo", DELL)]);
    // Analyzer findings (the joined snippets overload rack t1) are not the
    // point here: the language must accept every snippet.
    let messages: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            topo::analyze::rule(d.rule)
                .is_some_and(|r| r.check.is_none() && r.name != "unused-allow")
        })
        .map(|d| format!("{}: {}", d.rule, d.message))
        .collect();
    assert!(messages.is_empty(), "{messages:#?}");
    checked.project
}

fn device<'p>(p: &'p Project, name: &str) -> &'p Device {
    match p.element(name) {
        Some(Element::Device(d)) => &p.devices[d.index()],
        other => panic!("{name} is {other:?}"),
    }
}

fn service<'p>(p: &'p Project, name: &str) -> &'p Service {
    match p.element(name) {
        Some(Element::Service(s)) => &p.services[s.index()],
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn sites_feeds_and_racks() {
    let p = project();
    let osaka = &p.sites[1];
    assert_eq!(osaka.role.unwrap().value, SiteRole::Dr);
    assert_eq!(p.sites[osaka.backs.unwrap().value.index()].name, "tokyo");
    let plant7 = &p.sites[2];
    assert_eq!(
        plant7.uplink.unwrap().value.get(),
        25e6,
        "200 Mb/s = 25 MB/s"
    );
    let t1 = RackId(0);
    assert_eq!(p.racks[0].height.value, 42);
    assert_eq!(p.racks[0].feeds.len(), 2);
    assert_eq!(p.racks[0].max_weight.unwrap().value.get(), 1000.0);
    let feed = p.racks[t1.index()].feeds[0].value;
    let circuit = p.feeds[feed.index()].circuit.unwrap().value;
    assert_eq!(circuit.voltage.unwrap().get(), 208.0);
    assert_eq!(circuit.capacity(None).unwrap().get(), 6240.0);
}

#[test]
fn models_devices_ranges_and_overrides() {
    let p = project();
    let positions: Vec<u32> = (1..=4)
        .map(|i| device(&p, &format!("web{i}")).placement.unwrap().position)
        .collect();
    assert_eq!(
        positions,
        [1, 2, 3, 4],
        "a range placed at U1 stacks upward"
    );
    let odb: Vec<u32> = (1..=4)
        .map(|i| device(&p, &format!("odb{i}")).placement.unwrap().position)
        .collect();
    assert_eq!(odb, [30, 31, 32, 33]);
    let web1 = device(&p, "web1");
    assert_eq!(
        web1.props.draw.unwrap().value,
        Draw::Current(units::Amps::new(2.4))
    );
    assert_eq!(p.device_watts(DeviceId(0)).unwrap().get(), 2.4 * 208.0);
    let db1 = device(&p, "db1");
    assert_eq!(
        db1.props.draw.unwrap().value,
        Draw::Current(units::Amps::new(3.0)),
        "the device overrides its model"
    );
    assert_eq!(
        db1.props.weight.unwrap().value.get(),
        19.9,
        "and keeps what it does not override"
    );
    let tor1 = device(&p, "tor1");
    assert_eq!(tor1.kind, DeviceKind::Switch);
    assert_eq!(tor1.occupied(), Some(42..=42));
    assert_eq!(tor1.props.ports.unwrap().value.count, 48);
    assert_eq!(
        tor1.props.ports.unwrap().value.total().get(),
        48.0 * 25e9 / 8.0
    );
}

#[test]
fn parts_and_buses() {
    let p = project();
    let web1 = device(&p, "web1");
    let inside = &web1.internals;
    let names: Vec<&str> = inside.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["cpu0", "cpu1", "pch", "nic0", "nvme0", "nvme1"]);
    let PartKind::Cpu(cpu) = &inside.parts[1].kind else {
        panic!()
    };
    assert_eq!(cpu.cores.unwrap().value, 32);
    let memory = cpu.memory.as_ref().unwrap();
    assert_eq!(memory.channels.unwrap().value, 8);
    assert_eq!(memory.dimms.as_ref().unwrap().value, vec![1; 8]);
    let nic = &inside.parts[3];
    assert_eq!(nic.parent, Some(0));
    let bus = nic.bus.as_ref().unwrap();
    assert_eq!(bus.spec.label, "pcie4 x8");
    assert!((bus.spec.bandwidth.get() - 8.0 * 16e9 * 128.0 / 130.0 / 8.0).abs() < 1.0);
    assert_eq!(inside.parts[4].parent, Some(1), "nvme0 hangs off cpu1");
    assert_eq!(inside.parts[2].bus.as_ref().unwrap().spec.label, "dmi3");
    assert_eq!(inside.bus_tree.edge_count(), 4);
    // Devices that add no parts share their model's parts.
    assert!(std::sync::Arc::ptr_eq(
        &web1.internals,
        &device(&p, "web2").internals
    ));
}

#[test]
fn links_vms_tiers_and_services() {
    let p = project();
    assert_eq!(p.links.len(), 4 * 2 + 2 + 2);
    assert_eq!(
        p.links[11].speed(&p).unwrap().value.get(),
        3.2e9,
        "32GFC carries 3200 MB/s"
    );
    let vm = &p.vms[0];
    assert_eq!(vm.name, "app-vm1");
    assert_eq!(p.devices[vm.host.unwrap().value.index()].name, "host1");
    assert_eq!(p.devices[vm.failover.unwrap().value.index()].name, "host2");
    assert_eq!(vm.ram.unwrap().value.get(), 32e9);
    let levels: Vec<(String, usize)> = p.tiers.iter().map(|t| (t.name.clone(), t.level)).collect();
    assert_eq!(
        levels,
        [("web".into(), 0), ("ap".into(), 1), ("db".into(), 2)]
    );
    let web = service(&p, "shop-web");
    assert_eq!(web.hosts.len(), 4);
    assert_eq!(web.load.unwrap().value.get(), 3000.0);
    assert_eq!(web.capacity.unwrap().value.get(), 1000.0);
    assert_eq!(web.workers.unwrap().value, 256);
    assert_eq!(web.process_model.as_ref().unwrap().value, "prefork");
    let ap = service(&p, "shop-ap");
    assert_eq!(ap.pools[0].value.1, 60);
    let db = service(&p, "shop-db");
    assert_eq!(db.ha.unwrap().value, HaMode::ActiveStandby);
    assert!(db.stateful.is_some());
    assert_eq!(db.max_connections.unwrap().value, 100);
    assert_eq!(db.cache.unwrap().value.get(), 64e9);
    assert_eq!(
        p.devices[db.storage.unwrap().value.index()].name,
        "san-array1"
    );
    let orders = service(&p, "orders");
    let shard = orders.shard.as_ref().unwrap();
    assert_eq!(shard.key, "customer-id");
    let weights: Vec<f64> = shard
        .weights
        .as_ref()
        .unwrap()
        .value
        .iter()
        .map(|w| w.value.get())
        .collect();
    assert_eq!(weights, [25.0, 25.0, 35.0, 15.0]);
    let ns = service(&p, "ns");
    assert_eq!(ns.kind, ServiceKind::Dns);
    assert_eq!(ns.resolves.len(), 1);
}

#[test]
fn clients_flows_partitions_and_replication() {
    let p = project();
    assert_eq!(
        p.clients[0].kind.as_ref().unwrap().value,
        ClientKind::Browser
    );
    assert_eq!(
        p.clients[1].kind.as_ref().unwrap().value,
        ClientKind::Software {
            name: "pos-terminal".into(),
            version: Some("4.2".into())
        }
    );
    assert_eq!(p.cdns[0].pops.unwrap().value, 40);
    let checkout = &p.flows[0];
    let hops: Vec<&str> = checkout.paths[0]
        .iter()
        .map(|h| p.hop_name(h.value))
        .collect();
    assert_eq!(hops, ["browser", "shop-web", "shop-ap", "shop-db"]);
    assert_eq!(checkout.content.unwrap().value, Content::Dynamic);
    let telemetry = &p.flows[2];
    assert_eq!(
        telemetry.rate.unwrap().value,
        units::FlowRate::Bandwidth(units::BytesPerSecond::new(5e6))
    );
    assert_eq!(p.partitions[1].services.len(), 3);
    let r = &p.replications[0];
    assert_eq!(r.mode.unwrap().value, ReplicationMode::Async);
    assert_eq!(r.rpo.unwrap().value.get(), 300.0, "m is minutes");
    assert_eq!(r.rto.unwrap().value.get(), 1800.0);
}

#[test]
fn includes_and_allows() {
    let p = project();
    assert!(
        matches!(p.element("r750"), Some(Element::Model(_))),
        "the include was read"
    );
    let file_scope: Vec<&Allow> = p
        .allows
        .iter()
        .filter(|a| matches!(a.scope, AllowScope::File(_)))
        .collect();
    assert_eq!(file_scope.len(), 1);
    assert_eq!(file_scope[0].rule, "bus-bottleneck");
    let Some(Element::Model(m)) = p.element("suppressed") else {
        panic!()
    };
    let nic = &p.models[m.index()].internals.parts[1];
    assert_eq!(nic.allows.len(), 1);
    assert_eq!(p.allows[nic.allows[0].index()].rule, "bus-bottleneck");
}

#[test]
fn the_graph_carries_every_relation() {
    let p = project();
    let mut kinds: Vec<&str> = p
        .graph
        .edge_weights()
        .map(|e| match e {
            Edge::PlacedIn => "placed-in",
            Edge::PoweredBy => "powered-by",
            Edge::Link(_) => "link",
            Edge::RunsOn => "runs-on",
            Edge::FailsOverTo => "fails-over-to",
            Edge::Calls => "calls",
            Edge::FlowHop { .. } => "flow-hop",
            Edge::Replicates(_) => "replicates",
            Edge::StoredOn => "stored-on",
            Edge::Resolves => "resolves",
            Edge::InTier => "in-tier",
            Edge::InPartition => "in-partition",
            Edge::Origin => "origin",
            Edge::Backs => "backs",
            Edge::Upstream => "upstream",
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 15, "{kinds:?}");
    let flow_hops = p
        .graph
        .edge_weights()
        .filter(|e| matches!(e, Edge::FlowHop { .. }))
        .count();
    assert_eq!(flow_hops, 4 + 3 + 2, "one edge into each hop of each path");
}
