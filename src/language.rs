//! The language guess: which of the model's languages a text's function words belong to
//! (`<lang>/stopwords.tsv`). Cheap enough for the hot path: one hash lookup per word of
//! the text's first [`SAMPLE_BYTES`], and a page's navigation shares its article's language.
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// The share of the lowercased text that is read; the rest rarely changes the answer.
const SAMPLE_BYTES: usize = 8 * 1024;
/// Function words a text must show in its language before it gets one (a word that several
/// languages share counts a share), and how many of them must differ: Polish "a", "o", "na",
/// "do" are Portuguese function words too, but a Polish text shows few others.
const MIN_HITS: f32 = 4.0;
const MIN_DISTINCT: u32 = 5;
/// The share of the sample's words those hits must make: a third to a half of running text
/// is function words, a Polish text's Portuguese look-alikes are a few percent.
const MIN_SHARE: f32 = 0.06;
/// The winner's hits over the runner-up's: languages share words ("de", "la", "a"), so a
/// close race is no guess.
const MIN_LEAD: f32 = 1.3;
/// The bit set of languages has one bit per language; a model with more keeps the first.
const MAX_LANGUAGES: usize = 32;

/// Function word → the languages that use it.
#[derive(Debug, Clone, Default)]
pub struct LanguageGuesser {
    languages: Vec<String>,
    /// Per word: the languages that use it, and its index for counting distinct words.
    words: HashMap<String, (u32, usize)>,
    /// The longest function word in bytes: longer words are not looked up.
    longest: usize,
}

impl LanguageGuesser {
    /// From the model's function words per language (sorted by language code, so that
    /// ties resolve the same way on every run).
    pub fn new(stopwords: &BTreeMap<String, Vec<String>>) -> Self {
        let mut guesser = LanguageGuesser::default();
        for (index, (language, words)) in stopwords.iter().take(MAX_LANGUAGES).enumerate() {
            guesser.languages.push(language.clone());
            for word in words {
                let next = guesser.words.len();
                guesser.words.entry(word.clone()).or_insert((0, next)).0 |= 1 << index;
                guesser.longest = guesser.longest.max(word.len());
            }
        }
        guesser
    }

    /// The language of a lowercased text, or `None` when it shows too few function words
    /// of any language (a list of names, a language without a stopword file) or two
    /// languages run too close.
    pub fn guess(&self, lower: &str) -> Option<&str> {
        let mut hits = [0f32; MAX_LANGUAGES];
        let mut distinct = [0u32; MAX_LANGUAGES];
        let mut seen = vec![false; self.words.len()];
        let sample = &lower[..crate::analysis::floor_char_boundary(lower, SAMPLE_BYTES)];
        let mut words = 0usize;
        for word in sample.split(|c: char| !crate::analysis::is_alphanumeric(c)).filter(|w| !w.is_empty()) {
            words += 1;
            if word.len() > self.longest {
                continue;
            }
            let Some(&(languages, id)) = self.words.get(word) else { continue };
            let first_sighting = !std::mem::replace(&mut seen[id], true);
            let share = 1.0 / languages.count_ones() as f32;
            let mut set = languages;
            while set != 0 {
                let language = set.trailing_zeros() as usize;
                hits[language] += share;
                distinct[language] += u32::from(first_sighting);
                set &= set - 1;
            }
        }
        let count = self.languages.len();
        // The first language of the highest count wins a tie (and then fails the lead).
        let best = (0..count).rev().max_by(|&i, &j| hits[i].total_cmp(&hits[j]))?;
        let runner_up = (0..count).filter(|&i| i != best).map(|i| hits[i]).fold(0.0, f32::max);
        let leads = hits[best] >= MIN_LEAD * runner_up;
        let dense = hits[best] >= MIN_SHARE * words as f32;
        (hits[best] >= MIN_HITS && distinct[best] >= MIN_DISTINCT && dense && leads)
            .then(|| self.languages[best].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guesser() -> LanguageGuesser {
        let model = crate::model::Model::embedded().expect("the embedded model loads");
        LanguageGuesser::new(&model.stopwords)
    }

    #[test]
    fn each_language_of_the_model_is_told_from_the_others() {
        let guesser = guesser();
        for (text, language) in [
            ("the council said on monday that the bridge would stay closed until the end of the month", "en"),
            ("der stadtrat hat am montag beschlossen, dass die brücke bis zum ende des monats gesperrt bleibt", "de"),
            ("le conseil a annoncé lundi que le pont restera fermé jusqu'à la fin du mois pour des travaux", "fr"),
            (
                "el ayuntamiento anunció el lunes que el puente seguirá cerrado hasta el final del mes por las obras",
                "es",
            ),
            (
                "il consiglio ha annunciato lunedì che il ponte resterà chiuso fino alla fine del mese per i lavori",
                "it",
            ),
            (
                "a câmara anunciou na segunda-feira que a ponte vai continuar fechada até ao fim do mês para as obras",
                "pt",
            ),
            (
                "de gemeenteraad heeft maandag besloten dat de brug tot het einde van de maand gesloten blijft voor het werk",
                "nl",
            ),
        ] {
            assert_eq!(guesser.guess(text), Some(language), "{text}");
        }
    }

    #[test]
    fn too_few_function_words_is_no_guess() {
        let guesser = guesser();
        for text in [
            "home | news | sport | weather",
            "",
            "warszawa kraków gdańsk poznań wrocław łódź szczecin",
            // Polish: its "a", "o", "na", "do" are Portuguese function words as well.
            "rada miasta zdecydowała w poniedziałek, że most pozostanie zamknięty do końca miesiąca, a o \
             remoncie na razie nic nie wiadomo; do tego czasu kierowcy jadą objazdem na północ",
        ] {
            assert_eq!(guesser.guess(text), None, "{text}");
        }
    }
}
