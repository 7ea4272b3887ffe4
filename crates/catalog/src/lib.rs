//! satudata-catalog
