//! Cross-document passes: rewrites and duplicates of other records in the same run.
