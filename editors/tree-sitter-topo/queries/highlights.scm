; Highlights for topo (https://tree-sitter.github.io/tree-sitter/syntax-highlighting).
;
; The tree-sitter CLI and Zed use the FIRST pattern that matches a node,
; Neovim and Helix the last one: the specific patterns below capture nodes
; that no general pattern captures, so the order does not matter.

(comment) @comment

; The first word of a statement: `site`, `rack`, `server`, `cores`, `bus`, ...
(keyword) @keyword

; The name a declaration introduces. At top level: `site tokyo`,
; `server web[1..4]`, `flow checkout`, ...
(source_file
  (statement
    keyword: (keyword) @keyword
    .
    [
      (name)
      (range)
    ] @type
    (#any-of? @keyword
      "site" "feed" "rack" "model"
      "server" "switch" "router" "firewall" "lb" "storage" "pdu" "device"
      "vm" "tier" "service" "client" "dns" "cdn" "flow" "partition")))

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
    (#any-of? @keyword
      "cpu" "chipset" "nic" "disk" "controller" "hba" "card")))

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
