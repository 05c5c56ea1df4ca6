//! Word merge: own templates.
