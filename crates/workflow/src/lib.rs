//! satudata-workflow
