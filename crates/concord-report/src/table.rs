//! Column tables — the tournament's negotiations and summary — written as CSV and as Parquet
//! from one description, so that both files have the same columns, in the same order, with the
//! same types.
//!
//! A cell is text, an integer, a boolean or a number, or null (not defined). In CSV a null is an
//! empty cell and numbers are written as Rust prints them (the shortest text that reads back to
//! the same `f64`); in Parquet a column that may hold nulls is `OPTIONAL`, the others
//! `REQUIRED`, text is `BYTE_ARRAY` annotated `STRING`, integers `INT64`, booleans `BOOLEAN`,
//! numbers `DOUBLE`. Parquet pages are written uncompressed: the crate is built without codecs
//! to keep the build small.
//!
//! ```
//! use concord_report::table::{Cells, Column, Table};
//!
//! let table = Table::new(vec![
//!     Column::new("name", Cells::Text(vec![Some("a".into()), None])),
//!     Column::new("score", Cells::Float(vec![Some(0.5), Some(1.0)])),
//! ])
//! .unwrap();
//! assert_eq!(table.to_csv(), "name,score\na,0.5\n,1\n");
//! let bytes = table.to_parquet("example").unwrap();
//! assert_eq!(&bytes[..4], b"PAR1");
//! ```

use std::fmt::Write as _;
use std::sync::Arc;

use parquet::basic::{LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use thiserror::Error;

/// The cells of one column, top to bottom; `None` is a null (not defined).
#[derive(Debug, Clone, PartialEq)]
pub enum Cells {
    /// UTF-8 text.
    Text(Vec<Option<String>>),
    /// 64-bit signed integers.
    Int(Vec<Option<i64>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
    /// 64-bit floats.
    Float(Vec<Option<f64>>),
}

impl Cells {
    fn len(&self) -> usize {
        match self {
            Cells::Text(v) => v.len(),
            Cells::Int(v) => v.len(),
            Cells::Bool(v) => v.len(),
            Cells::Float(v) => v.len(),
        }
    }

    fn has_null(&self) -> bool {
        match self {
            Cells::Text(v) => v.iter().any(Option::is_none),
            Cells::Int(v) => v.iter().any(Option::is_none),
            Cells::Bool(v) => v.iter().any(Option::is_none),
            Cells::Float(v) => v.iter().any(Option::is_none),
        }
    }

    /// The CSV text of cell `row` (empty for a null).
    fn csv(&self, row: usize) -> String {
        match self {
            Cells::Text(v) => v[row].as_deref().map_or(String::new(), csv_field),
            Cells::Int(v) => v[row].map_or(String::new(), |x| x.to_string()),
            Cells::Bool(v) => v[row].map_or(String::new(), |x| x.to_string()),
            Cells::Float(v) => v[row].map_or(String::new(), |x| x.to_string()),
        }
    }
}

/// A named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header.
    pub name: String,
    /// The cells.
    pub cells: Cells,
    /// Whether the column may hold nulls (Parquet `OPTIONAL`). [`Column::new`] sets it when a
    /// cell is null; set it by hand for a column that is nullable by meaning but happens to
    /// have no null in this table, so that its type does not depend on the data.
    pub nullable: bool,
}

impl Column {
    /// A column, nullable when one of its cells is null.
    pub fn new(name: impl Into<String>, cells: Cells) -> Self {
        let nullable = cells.has_null();
        Column {
            name: name.into(),
            cells,
            nullable,
        }
    }

    /// The same column, declared nullable.
    pub fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }
}

/// Columns of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    columns: Vec<Column>,
    rows: usize,
}

/// Why a table could not be built or written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TableError {
    /// Columns of different lengths.
    #[error("column `{name}` has {found} cells, the first column {expected}")]
    Ragged {
        /// The column.
        name: String,
        /// Its length.
        found: usize,
        /// The first column's length.
        expected: usize,
    },
    /// A column that should not hold nulls holds one.
    #[error("column `{0}` holds a null but is not declared nullable")]
    NullInRequired(String),
    /// The Parquet writer failed.
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// The most rows in one Parquet row group: large enough for readers to scan efficiently, small
/// enough that a reader need not hold a whole large tournament at once.
const ROW_GROUP: usize = 1 << 20;

impl Table {
    /// A table of `columns`, which must all have the same length.
    pub fn new(columns: Vec<Column>) -> Result<Self, TableError> {
        let rows = columns.first().map_or(0, |c| c.cells.len());
        for c in &columns {
            if c.cells.len() != rows {
                return Err(TableError::Ragged {
                    name: c.name.clone(),
                    found: c.cells.len(),
                    expected: rows,
                });
            }
            if !c.nullable && c.cells.has_null() {
                return Err(TableError::NullInRequired(c.name.clone()));
            }
        }
        Ok(Table { columns, rows })
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The table as CSV (RFC 4180 quoting, `\n` line ends, a header line).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let header: Vec<String> = self.columns.iter().map(|c| csv_field(&c.name)).collect();
        out.push_str(&header.join(","));
        out.push('\n');
        for row in 0..self.rows {
            for (k, c) in self.columns.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{}", c.cells.csv(row));
            }
            out.push('\n');
        }
        out
    }

    /// The Parquet schema: a message named `name` with one primitive field per column.
    fn schema(&self, name: &str) -> Result<Type, TableError> {
        let mut fields = Vec::with_capacity(self.columns.len());
        for c in &self.columns {
            let (physical, logical) = match c.cells {
                Cells::Text(_) => (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)),
                Cells::Int(_) => (PhysicalType::INT64, None),
                Cells::Bool(_) => (PhysicalType::BOOLEAN, None),
                Cells::Float(_) => (PhysicalType::DOUBLE, None),
            };
            let repetition = if c.nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            fields.push(Arc::new(
                Type::primitive_type_builder(&c.name, physical)
                    .with_repetition(repetition)
                    .with_logical_type(logical)
                    .build()?,
            ));
        }
        Ok(Type::group_type_builder(name).with_fields(fields).build()?)
    }

    /// The table as a Parquet file; `name` names the schema's message.
    pub fn to_parquet(&self, name: &str) -> Result<Vec<u8>, TableError> {
        let schema = Arc::new(self.schema(name)?);
        let props = Arc::new(WriterProperties::builder().build());
        let mut writer = SerializedFileWriter::new(Vec::new(), schema, props)?;
        let mut start = 0;
        // A table without rows still gets one (empty) row group, so readers see its schema and
        // a row count of zero the usual way.
        loop {
            let end = (start + ROW_GROUP).min(self.rows);
            let mut group = writer.next_row_group()?;
            let mut columns = self.columns.iter();
            while let Some(mut out) = group.next_column()? {
                let c = columns.next().expect("the schema has one field per column");
                match &c.cells {
                    Cells::Text(v) => {
                        let (values, defs) = split(&v[start..end], |s| ByteArray::from(s.as_str()));
                        out.typed::<ByteArrayType>().write_batch(
                            &values,
                            c.nullable.then_some(&defs[..]),
                            None,
                        )?;
                    }
                    Cells::Int(v) => {
                        let (values, defs) = split(&v[start..end], |x| *x);
                        out.typed::<Int64Type>().write_batch(
                            &values,
                            c.nullable.then_some(&defs[..]),
                            None,
                        )?;
                    }
                    Cells::Bool(v) => {
                        let (values, defs) = split(&v[start..end], |x| *x);
                        out.typed::<BoolType>().write_batch(
                            &values,
                            c.nullable.then_some(&defs[..]),
                            None,
                        )?;
                    }
                    Cells::Float(v) => {
                        let (values, defs) = split(&v[start..end], |x| *x);
                        out.typed::<DoubleType>().write_batch(
                            &values,
                            c.nullable.then_some(&defs[..]),
                            None,
                        )?;
                    }
                }
                out.close()?;
            }
            group.close()?;
            start = end;
            if start >= self.rows {
                break;
            }
        }
        Ok(writer.into_inner()?)
    }
}

/// The present values of a slice of cells and the definition level of every cell (1 present,
/// 0 null), as Parquet's column writers take them.
fn split<T, V>(cells: &[Option<T>], value: impl Fn(&T) -> V) -> (Vec<V>, Vec<i16>) {
    let mut values = Vec::with_capacity(cells.len());
    let mut defs = Vec::with_capacity(cells.len());
    for cell in cells {
        match cell {
            Some(x) => {
                values.push(value(x));
                defs.push(1);
            }
            None => defs.push(0),
        }
    }
    (values, defs)
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    fn sample(rows: usize) -> Table {
        Table::new(vec![
            Column::new(
                "text",
                Cells::Text(
                    (0..rows)
                        .map(|i| (i % 3 != 0).then(|| format!("t,\"{i}\"")))
                        .collect(),
                ),
            ),
            Column::new(
                "int",
                Cells::Int((0..rows).map(|i| Some(i as i64)).collect()),
            ),
            Column::new(
                "bool",
                Cells::Bool((0..rows).map(|i| Some(i % 2 == 0)).collect()),
            ),
            Column::new(
                "float",
                Cells::Float(
                    (0..rows)
                        .map(|i| (i % 4 != 1).then_some(i as f64 / 7.0))
                        .collect(),
                ),
            )
            .nullable(),
        ])
        .unwrap()
    }

    /// Reads a Parquet file back with the crate's own reader, as CSV-like text cells.
    fn read_back(bytes: Vec<u8>) -> (Vec<String>, Vec<Vec<String>>) {
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr();
        let names = schema
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let rows = reader
            .get_row_iter(None)
            .unwrap()
            .map(|row| {
                row.unwrap()
                    .get_column_iter()
                    .map(|(_, f)| match f {
                        Field::Null => String::new(),
                        Field::Str(s) => csv_field(s),
                        Field::Long(x) => x.to_string(),
                        Field::Bool(b) => b.to_string(),
                        Field::Double(x) => x.to_string(),
                        other => panic!("unexpected field {other:?}"),
                    })
                    .collect()
            })
            .collect();
        (names, rows)
    }

    #[test]
    fn parquet_reads_back_as_the_csv() {
        for rows in [0, 1, 10] {
            let table = sample(rows);
            let csv = table.to_csv();
            let (names, back) = read_back(table.to_parquet("sample").unwrap());
            let mut text = names.join(",") + "\n";
            for row in back {
                text += &row.join(",");
                text.push('\n');
            }
            assert_eq!(text, csv);
        }
    }

    #[test]
    fn types_follow_the_cells_not_the_data() {
        let bytes = sample(2).to_parquet("sample").unwrap();
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr();
        let kinds: Vec<(PhysicalType, bool)> = schema
            .columns()
            .iter()
            .map(|c| (c.physical_type(), c.self_type().is_optional()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (PhysicalType::BYTE_ARRAY, true),
                (PhysicalType::INT64, false),
                (PhysicalType::BOOLEAN, false),
                // No null among 2 rows, but declared nullable.
                (PhysicalType::DOUBLE, true),
            ]
        );
    }

    #[test]
    fn ragged_and_null_in_required_columns_are_refused() {
        let err = Table::new(vec![
            Column::new("a", Cells::Int(vec![Some(1)])),
            Column::new("b", Cells::Int(vec![])),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "column `b` has 0 cells, the first column 1"
        );
        let mut c = Column::new("a", Cells::Int(vec![None]));
        c.nullable = false;
        assert_eq!(
            Table::new(vec![c]).unwrap_err().to_string(),
            "column `a` holds a null but is not declared nullable"
        );
    }
}
