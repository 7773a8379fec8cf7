//! Genius and GeniusWeb import and export: the ANAC scenarios in ../shared/genius, round trips,
//! and located errors on bad files.

mod common;

use std::path::Path;

use common::shared;
use concord_core::engine::{space_size, Evaluator};
use concord_io::genius::{read_genius, write_genius, NamedText, Normalization};
use concord_io::FormatError;

fn folder(dir: &Path) -> Vec<NamedText> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
        .map(|p| NamedText {
            name: p.file_name().unwrap().to_str().unwrap().to_string(),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect()
}

fn laptop() -> Vec<NamedText> {
    let domain = r#"<negotiation_template><utility_space number_of_issues="2">
<objective index="0" name="Laptop" type="objective">
<issue index="1" name="Brand" vtype="discrete"><item index="1" value="Dell"/><item index="2" value="HP"/></issue>
<issue index="2" name="Price" vtype="integer" lowerbound="1" upperbound="3"/>
</objective></utility_space></negotiation_template>"#;
    let profile = |evals: [&str; 2], offset: f64, slope: f64, reservation: &str| {
        format!(
            r#"<utility_space><objective index="0" name="Laptop">
<issue index="1" name="Brand" vtype="discrete"><item index="1" value="Dell" evaluation="{}"/><item index="2" value="HP" evaluation="{}"/></issue>
<issue index="2" name="Price" vtype="integer" lowerbound="1" upperbound="3"><evaluator ftype="linear" offset="{offset}" slope="{slope}"/></issue>
<weight index="1" value="0.4"/><weight index="2" value="0.6"/>
</objective><reservation value="{reservation}"/><discount_factor value="0.9"/></utility_space>"#,
            evals[0], evals[1]
        )
    };
    vec![
        NamedText {
            name: "laptop_domain.xml".into(),
            text: domain.into(),
        },
        NamedText {
            name: "buyer.xml".into(),
            text: profile(["10", "20"], 1.0, -0.25, "0.2"),
        },
        NamedText {
            name: "seller.xml".into(),
            text: profile(["4", "2"], 0.5, 0.25, "0"),
        },
    ]
}

#[test]
fn reads_a_small_genius_folder_with_both_conventions() {
    let s = read_genius(&laptop(), Normalization::Genius).unwrap();
    // Parties in file-name order, named after their files.
    assert_eq!(
        s.parties.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ["buyer", "seller"]
    );
    assert_eq!(
        s.issues[0]
            .options
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>(),
        ["Dell", "HP"]
    );
    assert_eq!(s.issues[1].options.len(), 3);
    let buyer = s.preferences[0].as_ref().unwrap();
    let value = |p: &concord_core::model::Preferences, i: usize, o: usize| {
        p.issues[i].values.value(&s.issues[i], o, |a| a.value)
    };
    // Genius: evaluations over the issue's largest, and offset + slope * (x - lowerbound).
    assert_eq!(value(buyer, 0, 0), 0.5);
    assert_eq!(value(buyer, 1, 0), 1.0);
    assert_eq!(value(buyer, 1, 2), 0.5);
    assert_eq!(buyer.discount, Some(0.9));
    // The buyer's lowest utility, 0.4 * 0.5 + 0.6 * 0.5 = 0.5, is above its reservation 0.2.
    assert!((buyer.reservation.value - 0.5).abs() < 1e-12);
    // The seller's lowest utility is 0.4 * 0.5 + 0.6 * (0.5 / 1.0) = 0.5 > its reservation 0.
    let seller = s.preferences[1].as_ref().unwrap();
    assert!((seller.reservation.value - 0.5).abs() < 1e-12);

    let raw = read_genius(&laptop(), Normalization::Raw).unwrap();
    let buyer = raw.preferences[0].as_ref().unwrap();
    // NegMAS: raw evaluations, and offset + slope * x.
    assert_eq!(value(buyer, 0, 1), 20.0);
    assert_eq!(value(buyer, 1, 0), 0.75);
    assert_eq!(value(buyer, 1, 2), 0.25);
}

#[test]
fn written_genius_files_read_back_to_the_same_utilities() {
    let s = read_genius(&laptop(), Normalization::Genius).unwrap();
    let back = read_genius(&write_genius(&s), Normalization::Genius).unwrap();
    let (a, b) = (Evaluator::new(&s), Evaluator::new(&back));
    for i in 0..s.issues.len() {
        for o in 0..s.issues[i].options.len() {
            assert_eq!(a.contribution(i, o), b.contribution(i, o));
        }
    }
    assert_eq!(
        s.preferences
            .iter()
            .map(|p| p.as_ref().unwrap().reservation.value)
            .collect::<Vec<_>>(),
        back.preferences
            .iter()
            .map(|p| p.as_ref().unwrap().reservation.value)
            .collect::<Vec<_>>()
    );
}

fn error_of(files: Vec<NamedText>) -> String {
    read_genius(&files, Normalization::Genius)
        .unwrap_err()
        .to_string()
}

#[test]
fn bad_files_get_located_errors() {
    let mut files = laptop();
    files[1].text = files[1]
        .text
        .replace("<weight index=\"2\" value=\"0.6\"/>", "");
    let e = error_of(files);
    assert!(
        e.contains("buyer.xml:1:1: `weight`: found no weight for issue \"Price\""),
        "{e}"
    );

    let mut files = laptop();
    files[2].text = files[2].text.replace(
        "</issue>\n<issue index=\"2\"",
        "</issue>\n<issue index=\"2\" x=",
    );
    let e = error_of(files);
    assert!(
        e.starts_with("seller.xml: 1 problem found")
            && e.contains("seller.xml:3:1")
            && e.contains("malformed"),
        "{e}"
    );

    let mut files = laptop();
    files[1].text = files[1].text.replace("name=\"Brand\"", "name=\"Make\"");
    let e = error_of(files);
    assert!(
        e.contains("`issue[1]@name`: found \"Make\", expected the domain's issue \"Brand\""),
        "{e}"
    );

    let mut files = laptop();
    files[1].text = files[1]
        .text
        .replace("evaluation=\"20\"", "evaluation=\"lots\"");
    let e = error_of(files);
    assert!(
        e.contains("buyer.xml:2:94: `issue[1]/item@evaluation`: found \"lots\", expected a finite number of at least 0"),
        "{e}"
    );

    let mut files = laptop();
    files.remove(0);
    assert!(matches!(
        read_genius(&files, Normalization::Genius),
        Err(FormatError::Genius(_))
    ));
}

#[test]
fn reads_every_shared_anac_scenario_with_the_documented_sizes() {
    let Some(dir) = shared("genius") else { return };
    // (folder, parties, issues, outcomes) from ../shared/genius/README.md.
    let expected = [
        ("anac_y2012_LaptopC", 2, 3, 27u128),
        ("anac_y2010_ItexvsCypress", 2, 4, 180),
        ("anac_y2010_EnglandZimbabwe", 2, 5, 576),
        ("geniusweb_Fitness", 2, 5, 1_280),
        ("geniusweb_Party", 2, 6, 3_072),
        ("anac_y2011_Car", 2, 6, 15_625),
        ("anac_y2015_group2-politics", 3, 8, 23_040),
        ("anac_y2012_EnergyB", 2, 8, 390_625),
        // The README says 11 issues; the domain has 10 (numbered 2 to 11).
        ("other_AMPOvsCity", 2, 10, 1_944_000),
        ("anac_y2016_AgentHp2", 3, 8, 5_764_801),
    ];
    for (name, parties, issues, outcomes) in expected {
        let s = read_genius(&folder(&dir.join(name)), Normalization::Genius)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.parties.len(), parties, "{name}");
        assert_eq!(s.issues.len(), issues, "{name}");
        assert_eq!(space_size(&s.option_counts()), Some(outcomes), "{name}");
    }
    let e = read_genius(
        &folder(&dir.join("other_S-1NAGUNL-255")),
        Normalization::Genius,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("non-linear (hyper-rectangle) utility function"),
        "{e}"
    );
    // EnergyB's reservation is 0.25; GeniusWeb Party has reservation bids.
    let energy = read_genius(
        &folder(&dir.join("anac_y2012_EnergyB")),
        Normalization::Genius,
    )
    .unwrap();
    assert!(energy
        .preferences
        .iter()
        .all(|p| p.as_ref().unwrap().reservation.value >= 0.25));
}
