//! The index schema, its version and the text analysers shared by indexing, queries and snippets.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

/// Bump whenever the schema, the analysers or what goes into a field changes: an index with
/// another version is rebuilt from the content on open.
pub const SCHEMA_VERSION: u32 = 2;

/// Stemmed English words: the fields ranked by BM25 and matched by phrases.
pub const STEM: &str = "gh_stem";
/// Lowercased, ASCII-folded words without stemming: for typo and prefix matching.
pub const RAW: &str = "gh_raw";

/// Words longer than this are dropped (base64, hashes, minified code): they only bloat the index.
pub const MAX_WORD_BYTES: usize = 40;

pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn raw_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Stems one word that the raw analyser produced (so `raw` then this equals the stem analyser).
pub fn stem_one_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build()
}

/// Runs `analyzer` over `text` and returns the tokens' texts.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The document id (stored, exact, fast: duplicates are found without reading stored documents).
    pub id: Field,
    /// A 64-bit key of the file path: what updates and deletes are keyed by.
    pub path_key: Field,
    /// The file's content hash when it was indexed (fast): the manifest for incremental updates.
    pub hash: Field,
    /// The file path relative to the hub folder (stored).
    pub path: Field,
    pub kind: Field,
    pub tag: Field,
    pub audience: Field,
    /// Normalised title, term and aliases, one value each: exact-title matches rank first.
    pub exact: Field,
    pub title: Field,
    /// A term's name and aliases.
    pub names: Field,
    pub summary: Field,
    /// The body as plain text (stored for snippets).
    pub body: Field,
    /// Everything, unstemmed: typo and prefix matching.
    pub raw: Field,
    /// Title, term and aliases, unstemmed: prefix matching that favours names.
    pub raw_head: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stem = |stored: bool| {
        let idx =
            TextFieldIndexing::default().set_tokenizer(STEM).set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let o = TextOptions::default().set_indexing_options(idx);
        if stored { o.set_stored() } else { o }
    };
    let raw = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(RAW).set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED | FAST),
        path_key: b.add_u64_field("path_key", INDEXED | FAST),
        hash: b.add_u64_field("hash", FAST),
        path: b.add_text_field("path", STORED),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        tag: b.add_text_field("tag", STRING | STORED | FAST),
        audience: b.add_text_field("audience", STRING),
        exact: b.add_text_field("exact", STRING),
        title: b.add_text_field("title", stem(true)),
        names: b.add_text_field("names", stem(false)),
        summary: b.add_text_field("summary", stem(true)),
        body: b.add_text_field("body", stem(true)),
        raw: b.add_text_field("raw", raw.clone()),
        raw_head: b.add_text_field("raw_head", raw),
    };
    (b.build(), fields)
}
