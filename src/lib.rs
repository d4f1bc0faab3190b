//! residue: scores scraped news articles for boilerplate residue and source credibility,
//! and says why.
//!
//! The data flow: inputs -> [`Record`]s -> [`Analysis`] (one segmentation per article) ->
//! detectors ([`detect`]) -> [`Finding`]s and scores -> line labels ([`label`]) ->
//! [`Assessment`] (scores, credibility, verdict) -> writers ([`output`]).

pub mod analysis;
pub mod calibration;
pub mod corpus;
pub mod detect;
pub mod error;
pub mod eval;
pub mod fit;
pub mod input;
pub mod label;
pub mod language;
pub mod lexicon;
pub mod line_model;
pub mod lines;
pub mod model;
pub mod output;
pub mod phrases;
pub mod pipeline;
pub mod record;
pub mod score;
pub mod trees;

pub use analysis::Analysis;
pub use detect::{Finding, Signal};
pub use error::{Error, Result};
pub use model::{Category, LineLabel, Model};
pub use record::Record;
pub use score::{Assessment, Scorer, Scores, Verdict};
