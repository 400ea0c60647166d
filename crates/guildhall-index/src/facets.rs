//! Facet counts per kind and tag over every match, read from fast fields.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts of matching documents per kind and per tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub tag: BTreeMap<String, u64>,
}

pub struct FacetCollector;

pub struct FacetSegment {
    kind: Option<(StrColumn, Vec<u64>)>,
    tag: Option<(StrColumn, Vec<u64>)>,
}

fn column(reader: &SegmentReader, name: &str) -> tantivy::Result<Option<(StrColumn, Vec<u64>)>> {
    Ok(reader.fast_fields().str(name)?.map(|c| {
        let n = c.num_terms();
        (c, vec![0; n])
    }))
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegment;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<FacetSegment> {
        Ok(FacetSegment { kind: column(reader, "kind")?, tag: column(reader, "tag")? })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut out = Facets::default();
        for f in fruits {
            for (k, n) in f.kind {
                *out.kind.entry(k).or_default() += n;
            }
            for (k, n) in f.tag {
                *out.tag.entry(k).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (col, counts) in [&mut self.kind, &mut self.tag].into_iter().flatten() {
            for ord in col.term_ords(doc) {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
    }

    fn harvest(self) -> Facets {
        let names = |c: Option<(StrColumn, Vec<u64>)>| {
            let mut out = BTreeMap::new();
            if let Some((col, counts)) = c {
                let mut s = String::new();
                for (ord, n) in counts.into_iter().enumerate().filter(|&(_, n)| n > 0) {
                    s.clear();
                    if col.ord_to_str(ord as u64, &mut s).unwrap_or(false) {
                        out.insert(s.clone(), n);
                    }
                }
            }
            out
        };
        Facets { kind: names(self.kind), tag: names(self.tag) }
    }
}
