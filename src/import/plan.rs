//! The first pass of an import: from every card's repo id and bases alone, which
//! cards are imported (not curated), which bases become stubs and who cites them, and
//! which imported cards name each other in a cycle. It holds a few ids per card, not
//! the cards, so the second pass can read and write the cards a file at a time.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::ids::repo_id;
use crate::model::Id;

/// A card as the first pass keeps it: its repo id and the bases it names (already
/// cleaned of paths, URLs, duplicates and itself).
#[derive(Debug)]
pub struct Indexed {
    pub repo: String,
    pub bases: Vec<String>,
}

/// What the second pass needs to know about all the cards before mapping any.
#[derive(Debug, Default)]
pub struct Plan {
    /// Imported cards by lowercased repo id (the Hub ignores case), with their ids.
    pub imported: HashMap<String, Id>,
    /// Imported models on a cycle of bases: their lineage claims inside it are dropped.
    pub in_cycle: HashSet<Id>,
    /// Bases neither imported nor curated, each with the card sources that name it.
    pub stubs: BTreeMap<String, BTreeSet<Id>>,
}

impl Plan {
    /// The plan for `cards` (in import order), given which repo ids are curated.
    pub fn new(cards: &[Indexed], curated: impl Fn(&str) -> bool) -> Plan {
        let imported: HashMap<String, Id> = cards
            .iter()
            .map(|c| c.repo.to_lowercase())
            .filter(|repo| !curated(repo))
            .map(|repo| {
                let id = repo_id("hf", &repo);
                (repo, id)
            })
            .collect();
        let mut stubs: BTreeMap<String, BTreeSet<Id>> = BTreeMap::new();
        // The imported models as a graph: one node per id, an edge to each base that is
        // imported too.
        let mut position: HashMap<&Id, usize> = HashMap::new();
        let mut ids: Vec<&Id> = Vec::new();
        let mut edges: Vec<Vec<usize>> = Vec::new();
        for card in cards {
            let Some(id) = imported.get(&card.repo.to_lowercase()) else {
                continue;
            };
            let from = node(id, &mut position, &mut ids, &mut edges);
            let source = repo_id("hf-card", &card.repo);
            for base in &card.bases {
                let lower = base.to_lowercase();
                if curated(&lower) {
                    continue;
                }
                match imported.get(&lower) {
                    Some(base_id) => {
                        let to = node(base_id, &mut position, &mut ids, &mut edges);
                        edges[from].push(to);
                    }
                    None => {
                        stubs
                            .entry(base.clone())
                            .or_default()
                            .insert(source.clone());
                    }
                }
            }
        }
        // The models on a cycle: those of a strongly connected component of more than
        // one model, or naming themselves. Linear in models and edges, so an import of
        // 100,000 cards checks its cycles in one pass.
        let in_cycle: HashSet<Id> = strongly_connected(&edges)
            .into_iter()
            .filter(|c| c.len() > 1 || edges[c[0]].contains(&c[0]))
            .flatten()
            .map(|i| ids[i].clone())
            .collect();
        Plan {
            imported,
            in_cycle,
            stubs,
        }
    }
}

/// The node of `id` in the graph, added when new.
fn node<'i>(
    id: &'i Id,
    position: &mut HashMap<&'i Id, usize>,
    ids: &mut Vec<&'i Id>,
    edges: &mut Vec<Vec<usize>>,
) -> usize {
    *position.entry(id).or_insert_with(|| {
        ids.push(id);
        edges.push(Vec::new());
        ids.len() - 1
    })
}

/// The strongly connected components of a graph given as adjacency lists (Tarjan's
/// algorithm, with an explicit stack so a long chain cannot overflow the call stack).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low) = (vec![UNSEEN; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut components, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges are done)
        let mut calls = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut done)) = calls.last_mut() {
            if let Some(&to) = edges[node].get(*done) {
                *done += 1;
                if index[to] == UNSEEN {
                    index[to] = next;
                    low[to] = next;
                    next += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    calls.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    fn cyclic(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let mut found: Vec<Vec<usize>> = strongly_connected(edges)
            .into_iter()
            .filter(|c| c.len() > 1 || edges[c[0]].contains(&c[0]))
            .map(|mut c| {
                c.sort_unstable();
                c
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn components_are_the_cycles_and_a_long_chain_is_none() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 0 leads into it; 4 names itself; 5 → 6 does not.
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4], vec![6], vec![]];
        assert_eq!(cyclic(&edges), vec![vec![0, 1, 2], vec![4]]);
        // A chain as deep as a large import's: no recursion, no cycle.
        let n = 200_000;
        let chain: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        assert!(cyclic(&chain).is_empty());
        assert_eq!(strongly_connected(&chain).len(), n);
    }
}
