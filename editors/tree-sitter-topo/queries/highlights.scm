; Highlights for topo (https://tree-sitter.github.io/tree-sitter/syntax-highlighting).
;
; The tree-sitter CLI and Zed use the FIRST pattern that matches a node,
; Neovim and Helix the last one: the specific patterns below capture nodes
; that no general pattern captures, so the order does not matter.

(comment) @comment

; The first word of a statement: `site`, `rack`, `server`, `cores`, `bus`, ...
(keyword) @keyword

; ---- generated from the language schema; do not edit by hand:
; UPDATE_EDITOR_KEYWORDS=1 cargo test --test editor_keywords

; The name a declaration introduces at top level: `site tokyo`,
; `server web[1..4]`, `power ups-a`, ...
(source_file
  (statement
    keyword: (keyword) @keyword
    .
    [
      (name)
      (range)
    ] @type
    (#any-of? @keyword "site" "feed" "power" "rack" "model" "vm" "tier" "service" "dns" "client" "cdn" "flow" "partition" "fault-domain" "server" "switch" "router" "firewall" "lb" "storage" "pdu" "device")))

; Inside a model or device, the parts: `cpu cpu[0..1]`, `nic nic0`, ...
; (`rack t1`, `site tokyo` or `tier web` inside a block are references, not
; declarations, and stay plain names.)
(block
  (statement
    keyword: (keyword) @keyword
    .
    [
      (name)
      (range)
    ] @type
    (#any-of? @keyword "cpu" "chipset" "nic" "disk" "controller" "hba" "card" "bridge")))

; The words a property chooses from, each property its own: `role dr`,
; `ha active-standby`, `rack t1 at U20 rear` (`rack dr` stays a name).
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "role")
    (#any-of? @constant.builtin "primary" "secondary" "dr" "edge" "presentation" "application" "cache" "data")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "kind")
    (#any-of? @constant.builtin "utility" "generator" "ups" "panel")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "airflow")
    (#any-of? @constant.builtin "front-to-rear" "rear-to-front" "left-to-right" "right-to-left" "side-to-rear" "rear-to-side" "bottom-to-top" "top-to-bottom" "passive" "mixed")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "depth")
    (#any-of? @constant.builtin "full" "half")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "ha")
    (#any-of? @constant.builtin "active-standby" "active-active" "quorum")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "process-model")
    (#any-of? @constant.builtin "prefork" "threaded" "event")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "content")
    (#any-of? @constant.builtin "static" "dynamic" "results" "raw")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "mode")
    (#any-of? @constant.builtin "sync" "async")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "rack")
    (#any-of? @constant.builtin "front" "rear")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "cache")
    (#any-of? @constant.builtin "write-back" "write-through")))
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "protection")
    (#any-of? @constant.builtin "battery" "flash" "none")))

; Bus presets and lane widths (`bus pcie4 x8 to cpu0`), memory presets
; (`memory ddr4-3200 { … }`).
(block
  (statement
    keyword: (keyword) @keyword
    (name) @constant.builtin
    (#eq? @keyword "bus")
    (#any-of? @constant.builtin "pcie1" "pcie2" "pcie3" "pcie4" "pcie5" "pcie6" "dmi2" "dmi3" "dmi4" "sata1" "sata2" "sata3" "sas1" "sas2" "sas3" "sas4" "fc8" "fc10" "fc16" "fc32" "fc64" "fc128" "upi" "ddr4-1600" "ddr4-1866" "ddr4-2133" "ddr4-2400" "ddr4-2666" "ddr4-2933" "ddr4-3200" "ddr5-4000" "ddr5-4400" "ddr5-4800" "ddr5-5200" "ddr5-5600" "ddr5-6000" "ddr5-6400" "ddr5-6800" "ddr5-7200" "ddr5-7600" "ddr5-8000" "ddr5-8400" "ddr5-8800" "x1" "x2" "x4" "x8" "x12" "x16" "x32")))
(block
  (statement
    keyword: (keyword) @keyword
    .
    (name) @constant.builtin
    (#eq? @keyword "memory")
    (#any-of? @constant.builtin "ddr4-1600" "ddr4-1866" "ddr4-2133" "ddr4-2400" "ddr4-2666" "ddr4-2933" "ddr4-3200" "ddr5-4000" "ddr5-4400" "ddr5-4800" "ddr5-5200" "ddr5-5600" "ddr5-6000" "ddr5-6400" "ddr5-6800" "ddr5-7200" "ddr5-7600" "ddr5-8000" "ddr5-8400" "ddr5-8800")))
; ---- end of the generated patterns

; The model after `:` (`server web1 : r650`).
(statement
  (colon)
  .
  (name) @type)

; `allow RULE`: the rule name.
(statement
  keyword: (keyword) @keyword
  .
  (name) @label
  (#eq? @keyword "allow"))

; Numbers, quantities and range bounds.
(number) @number

(quantity
  unit: (unit) @type.builtin)

(bound) @number

; Strings.
(string) @string

(escape_sequence) @string.escape

; Operators and punctuation.
(arrow) @operator

(colon) @operator

[
  "{"
  "}"
] @punctuation.bracket

(range
  [
    "["
    "]"
    ".."
  ] @punctuation.bracket)

[
  ";"
  "."
] @punctuation.delimiter
