//! Maximum flow by Dinic's algorithm, for `flow-bandwidth`.
//!
//! Capacities are whole bytes per second (`u64`): link speeds are whole
//! numbers of bits per second, so nothing is lost that a design could
//! notice. Dinic's algorithm alternates a breadth-first search that layers
//! the residual graph with depth-first searches that saturate it; on the
//! shallow, wide graphs of a data centre (server, leaf, spine, leaf,
//! server) it needs a handful of phases, each linear in the edges.

/// A capacity no link reaches: a link without `speed`, or the inside of a
/// forwarding device.
pub const UNBOUNDED: u64 = u64::MAX / 4;

/// A directed graph with capacities, and the flow pushed so far.
pub struct Graph {
    /// Per node: indices into `edges` of the edges leaving it.
    out: Vec<Vec<usize>>,
    /// Edges in pairs: edge `e` and its reverse `e ^ 1`.
    edges: Vec<Edge>,
}

struct Edge {
    to: usize,
    /// What is left to push.
    residual: u64,
}

impl Graph {
    pub fn new(nodes: usize) -> Graph {
        Graph {
            out: vec![Vec::new(); nodes],
            edges: Vec::new(),
        }
    }

    /// Adds an edge `from` → `to` and returns its index (for
    /// [`Graph::min_cut`]). Parallel edges add up.
    pub fn edge(&mut self, from: usize, to: usize, capacity: u64) -> usize {
        let e = self.edges.len();
        self.edges.push(Edge {
            to,
            residual: capacity,
        });
        self.edges.push(Edge {
            to: from,
            residual: 0,
        });
        self.out[from].push(e);
        self.out[to].push(e + 1);
        e
    }

    /// Pushes as much as it can from `source` to `sink` and returns the
    /// total (saturating at [`UNBOUNDED`]).
    pub fn max_flow(&mut self, source: usize, sink: usize) -> u64 {
        if source == sink {
            return UNBOUNDED;
        }
        let n = self.out.len();
        let mut total: u64 = 0;
        let mut level = vec![u32::MAX; n];
        let mut next = vec![0usize; n];
        while self.layer(source, sink, &mut level) {
            next.iter_mut().for_each(|x| *x = 0);
            loop {
                let pushed = self.push(source, sink, UNBOUNDED, &level, &mut next);
                if pushed == 0 {
                    break;
                }
                total = total.saturating_add(pushed);
                if total >= UNBOUNDED {
                    return UNBOUNDED;
                }
            }
        }
        total
    }

    /// Levels by breadth-first search over edges with residual capacity;
    /// whether the sink is reached.
    fn layer(&self, source: usize, sink: usize, level: &mut [u32]) -> bool {
        level.iter_mut().for_each(|l| *l = u32::MAX);
        level[source] = 0;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(v) = queue.pop_front() {
            for &e in &self.out[v] {
                let edge = &self.edges[e];
                if edge.residual > 0 && level[edge.to] == u32::MAX {
                    level[edge.to] = level[v] + 1;
                    queue.push_back(edge.to);
                }
            }
        }
        level[sink] != u32::MAX
    }

    /// One augmenting path along the levels, found by an iterative
    /// depth-first search (no recursion: a long chain of switches must not
    /// overflow the stack). `next` remembers, per node, the first edge not
    /// yet known to be useless in this phase.
    fn push(
        &mut self,
        source: usize,
        sink: usize,
        limit: u64,
        level: &[u32],
        next: &mut [usize],
    ) -> u64 {
        // The edges of the path found so far.
        let mut path: Vec<usize> = Vec::new();
        let mut v = source;
        loop {
            if v == sink {
                let pushed = path
                    .iter()
                    .map(|&e| self.edges[e].residual)
                    .fold(limit, u64::min);
                for &e in &path {
                    self.edges[e].residual -= pushed;
                    self.edges[e ^ 1].residual = self.edges[e ^ 1].residual.saturating_add(pushed);
                }
                return pushed;
            }
            let mut advanced = false;
            while next[v] < self.out[v].len() {
                let e = self.out[v][next[v]];
                let edge = &self.edges[e];
                if edge.residual > 0 && level[edge.to] == level[v].wrapping_add(1) {
                    path.push(e);
                    v = edge.to;
                    advanced = true;
                    break;
                }
                next[v] += 1;
            }
            if advanced {
                continue;
            }
            // A dead end: retreat, and skip the edge that led here.
            let Some(e) = path.pop() else {
                return 0;
            };
            v = self.edges[e ^ 1].to;
            next[v] += 1;
        }
    }

    /// After [`Graph::max_flow`]: the given edges that cross the minimum
    /// cut, i.e. lead from a node the source still reaches in the residual
    /// graph to one it does not.
    pub fn min_cut(&self, source: usize, edges: &[usize]) -> Vec<usize> {
        let mut seen = vec![false; self.out.len()];
        seen[source] = true;
        let mut stack = vec![source];
        while let Some(v) = stack.pop() {
            for &e in &self.out[v] {
                let edge = &self.edges[e];
                if edge.residual > 0 && !seen[edge.to] {
                    seen[edge.to] = true;
                    stack.push(edge.to);
                }
            }
        }
        edges
            .iter()
            .copied()
            .filter(|&e| seen[self.edges[e ^ 1].to] && !seen[self.edges[e].to])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edge() {
        let mut g = Graph::new(2);
        g.edge(0, 1, 7);
        assert_eq!(g.max_flow(0, 1), 7);
    }

    #[test]
    fn no_path() {
        let mut g = Graph::new(3);
        g.edge(0, 1, 7);
        assert_eq!(g.max_flow(0, 2), 0);
    }

    #[test]
    fn parallel_edges_add_up() {
        let mut g = Graph::new(2);
        g.edge(0, 1, 25);
        g.edge(0, 1, 25);
        assert_eq!(g.max_flow(0, 1), 50);
    }

    #[test]
    fn series_takes_the_narrowest() {
        let mut g = Graph::new(4);
        g.edge(0, 1, 100);
        let narrow = g.edge(1, 2, 25);
        g.edge(2, 3, 100);
        assert_eq!(g.max_flow(0, 3), 25);
        assert_eq!(g.min_cut(0, &[0, narrow, 4]), vec![narrow]);
    }

    /// The textbook network (CLRS fig. 26.1): maximum flow 23.
    #[test]
    fn textbook_network() {
        let mut g = Graph::new(6);
        for (a, b, c) in [
            (0, 1, 16),
            (0, 2, 13),
            (2, 1, 4),
            (1, 3, 12),
            (3, 2, 9),
            (2, 4, 14),
            (4, 3, 7),
            (3, 5, 20),
            (4, 5, 4),
        ] {
            g.edge(a, b, c);
        }
        assert_eq!(g.max_flow(0, 5), 23);
    }

    /// A flow that must be rerouted (the reverse edge undoes a bad first
    /// choice): 0→1→2→3 first, then 0→2 and 1→3 need the middle edge back.
    #[test]
    fn needs_the_reverse_edge() {
        let mut g = Graph::new(4);
        g.edge(0, 1, 1);
        g.edge(0, 2, 1);
        g.edge(1, 2, 1);
        g.edge(1, 3, 1);
        g.edge(2, 3, 1);
        assert_eq!(g.max_flow(0, 3), 2);
    }

    /// Two links form the cut: a diamond whose two branches each hold one
    /// narrow edge.
    #[test]
    fn a_cut_of_two_links() {
        let mut g = Graph::new(4);
        g.edge(0, 1, UNBOUNDED);
        g.edge(0, 2, UNBOUNDED);
        let a = g.edge(1, 3, 10);
        let b = g.edge(2, 3, 15);
        assert_eq!(g.max_flow(0, 3), 25);
        assert_eq!(g.min_cut(0, &[a, b]), vec![a, b]);
    }

    #[test]
    fn unbounded_saturates() {
        let mut g = Graph::new(3);
        g.edge(0, 1, UNBOUNDED);
        g.edge(0, 1, UNBOUNDED);
        g.edge(1, 2, UNBOUNDED);
        g.edge(1, 2, UNBOUNDED);
        assert_eq!(g.max_flow(0, 2), UNBOUNDED);
    }

    /// A long chain: the search is iterative, so depth costs no stack.
    #[test]
    fn long_chain() {
        let n = 200_000;
        let mut g = Graph::new(n);
        for i in 0..n - 1 {
            g.edge(i, i + 1, 3 + (i % 5) as u64);
        }
        assert_eq!(g.max_flow(0, n - 1), 3);
    }
}
