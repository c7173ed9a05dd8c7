/**
 * @file Tree-sitter grammar for topo, a declarative infrastructure-topology language.
 * @license MIT OR Apache-2.0
 *
 * Mirrors grammar/topo.pest (the language of docs/reference.md): a file is a list of
 * statements; a statement is a run of items with an optional `{ ... }` block
 * and ends at a newline, at `;`, or before `}`. Newlines are significant, so
 * they are a token of their own (`_newline`) and `extras` holds only spaces,
 * tabs, a byte-order mark and comments.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// `[A-Za-z_][A-Za-z0-9_-]*`, where a `-` must be followed by a name
// character, so that `a->b` still reads as `a`, `->`, `b` (the pest grammar's
// `"-" ~ !">"`; tree-sitter regexes have no look-ahead).
const NAME = /[A-Za-z_][A-Za-z0-9_]*(-+[A-Za-z0-9_]+)*/;
// What may directly follow a range: `web[1..4]-mgmt`.
const TAIL = /[A-Za-z0-9_]+(-+[A-Za-z0-9_]+)*|(-+[A-Za-z0-9_]+)+/;

module.exports = grammar({
  name: 'topo',

  extras: $ => [/[ \t]/, /\uFEFF/, $.comment],

  supertypes: $ => [$._item],

  rules: {
    source_file: $ => body($),

    // One statement: `KEYWORD ITEM... [{ ... }]`.
    statement: $ => seq(
      field('keyword', alias($.name, $.keyword)),
      repeat($._item),
      optional(field('block', $.block)),
    ),

    // A request path inside a flow: `browser -> shop-web -> shop-db`.
    path: $ => seq(
      field('hop', $._word),
      repeat1(seq($.arrow, field('hop', $._word))),
    ),

    block: $ => seq('{', body($), '}'),

    _statement: $ => choice($.statement, $.path),

    _separator: $ => choice(';', $._newline),

    _newline: _ => /\r?\n|\r/,

    _item: $ => choice(
      $._word,
      $.quantity,
      $.number,
      $.string,
      $.colon,
    ),

    _word: $ => choice($.name, $.range, $.reference),

    name: _ => NAME,

    // `web[1..4]`, `web[01..12]`, `nvme[0..3]`, `web[1..4]-mgmt`, `s1-[1..8]`.
    // A prefix's trailing dashes (`s1-`) are an anonymous `-` token of their
    // own: a name token cannot end in `-` without breaking `a->b`.
    range: $ => seq(
      field('prefix', $.name),
      optional(alias(token.immediate(/-+/), '-')),
      token.immediate('['),
      field('low', alias($._bound, $.bound)),
      token.immediate('..'),
      field('high', alias($._bound, $.bound)),
      token.immediate(']'),
      optional(field('suffix', alias(token.immediate(TAIL), $.name))),
    ),

    _bound: _ => token.immediate(/[0-9]+/),

    // `db1.nic0`, `web[1..2].nic0`.
    reference: $ => seq(
      $._segment,
      repeat1(seq(token.immediate('.'), $._segment)),
    ),

    _segment: $ => choice($.name, $.range),

    // Decimal, optional fraction; an exponent (`1e5`) is accepted as in pest.
    number: _ => /-?[0-9]+(\.[0-9]+)?([eE]-?[0-9]+)?/,

    // A number directly followed by its unit: `30A`, `2.4kW`, `7GB/s`, `25%`.
    quantity: $ => seq(field('value', $.number), field('unit', $.unit)),

    unit: _ => token.immediate(prec(1, /%|[A-Za-zµ]+(\/[A-Za-z]+)?/)),

    string: $ => seq(
      '"',
      repeat(choice($._string_content, $.escape_sequence)),
      token.immediate('"'),
    ),

    _string_content: _ => token.immediate(prec(1, /[^"\\\r\n]+/)),

    escape_sequence: _ => token.immediate(seq('\\', /["\\]/)),

    arrow: _ => '->',

    colon: _ => ':',

    comment: _ => token(seq('#', /[^\r\n]*/)),
  },
});

/**
 * Statements separated by newlines or `;`, with any number of separators
 * before, between and after them. The last statement needs no separator
 * (end of file, or before `}`).
 *
 * @param {GrammarSymbols<string>} $
 * @returns {RuleOrLiteral}
 */
function body($) {
  return seq(
    repeat($._separator),
    repeat(seq($._statement, repeat1($._separator))),
    optional($._statement),
  );
}
