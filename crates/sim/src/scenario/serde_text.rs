//! Serde for actions and settings: each is its directive text (`"crash 1"`,
//! `"loss 5%"`), so a serialized timeline reads like the scenario.

use super::parser::parse_action;
use super::types::{Action, Setting};

impl serde::Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_action(&text).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Setting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
