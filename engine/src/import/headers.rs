//! Automatic header mapping for the exports of common CRMs and prospecting tools.

/// Where a CSV column goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Email,
    FirstName,
    LastName,
    /// "Name": split into first and last when those columns are absent.
    FullName,
    Company,
    Title,
    /// A phone column; the lowest rank with a value wins (direct before mobile
    /// before the switchboard).
    Phone(u8),
    Linkedin,
    City,
    State,
    Country,
    TimeZone,
    Tags,
    /// Kept on the prospect under this name, usable in templates.
    Custom(String),
    Ignore,
}

impl Field {
    /// The names a column can be mapped to (besides `custom:<name>`).
    pub const NAMES: &'static [&'static str] = &[
        "email",
        "first_name",
        "last_name",
        "full_name",
        "company",
        "title",
        "phone",
        "linkedin",
        "city",
        "state",
        "country",
        "timezone",
        "tags",
        "ignore",
    ];

    /// "email, first_name, …, tags, custom:<name> or ignore", for messages.
    pub fn expected() -> String {
        let named: Vec<&str> = Field::NAMES.iter().copied().filter(|n| *n != "ignore").collect();
        format!("{}, custom:<name> or ignore", named.join(", "))
    }

    /// Parses the right-hand side of `--map "Header=field"`.
    pub fn parse(text: &str) -> Option<Field> {
        let t = text.trim();
        if let Some(name) = t.strip_prefix("custom:") {
            return Some(Field::Custom(snake(name)));
        }
        Some(match t {
            "email" => Field::Email,
            "first_name" => Field::FirstName,
            "last_name" => Field::LastName,
            "full_name" | "name" => Field::FullName,
            "company" => Field::Company,
            "title" => Field::Title,
            "phone" => Field::Phone(0),
            "linkedin" => Field::Linkedin,
            "city" => Field::City,
            "state" => Field::State,
            "country" => Field::Country,
            "timezone" | "time_zone" => Field::TimeZone,
            "tags" => Field::Tags,
            "ignore" => Field::Ignore,
            _ => return None,
        })
    }

    pub fn name(&self) -> String {
        match self {
            Field::Email => "email".into(),
            Field::FirstName => "first_name".into(),
            Field::LastName => "last_name".into(),
            Field::FullName => "full_name".into(),
            Field::Company => "company".into(),
            Field::Title => "title".into(),
            Field::Phone(_) => "phone".into(),
            Field::Linkedin => "linkedin".into(),
            Field::City => "city".into(),
            Field::State => "state".into(),
            Field::Country => "country".into(),
            Field::TimeZone => "timezone".into(),
            Field::Tags => "tags".into(),
            Field::Custom(n) => format!("custom:{n}"),
            Field::Ignore => "ignore".into(),
        }
    }
}

/// Lower-case letters and digits only: "First Name", "first_name" and
/// "FirstName" all become "firstname".
fn squash(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// "Pain Point" -> "pain_point", for custom fields used in templates.
pub fn snake(h: &str) -> String {
    let mut out = String::new();
    for c in h.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

pub fn guess_field(header: &str) -> Field {
    let h = squash(header);
    match h.as_str() {
        "email" | "emailaddress" | "workemail" | "businessemail" | "email1" | "primaryemail" | "contactemail" | "emails" | "mail"
        | "personemail" | "emailaddr" => Field::Email,
        "firstname" | "first" | "givenname" | "fname" | "contactfirstname" | "vorname" | "prénom" | "prenom" | "nombre" => {
            Field::FirstName
        }
        "lastname" | "last" | "surname" | "familyname" | "lname" | "contactlastname" | "nachname" | "nom" | "apellidos" | "apellido" => {
            Field::LastName
        }
        "name" | "fullname" | "contactname" | "personname" | "contact" => Field::FullName,
        "company" | "companyname" | "accountname" | "account" | "organization" | "organisation" | "organizationname"
        | "organisationname" | "employer" | "firma" | "unternehmen" | "empresa" | "société" | "societe" | "entreprise" => Field::Company,
        "title" | "jobtitle" | "position" | "role" | "persontitle" | "jobrole" | "funktion" | "cargo" | "poste" => Field::Title,
        "directphone" | "directdial" | "directnumber" | "workdirectphone" | "directline" => Field::Phone(0),
        "mobilephone" | "mobile" | "cellphone" | "mobilenumber" | "cell" | "mobil" | "handy" | "móvil" | "movil" => Field::Phone(1),
        "phone" | "phonenumber" | "workphone" | "businessphone" | "telephone" | "tel" | "personphone" | "firstphone" | "telefon"
        | "teléfono" | "telefono" | "téléphone" => Field::Phone(2),
        "corporatephone" | "companyphone" | "hqphone" | "switchboard" => Field::Phone(3),
        "otherphone" | "homephone" => Field::Phone(4),
        "linkedin" | "linkedinurl" | "personlinkedinurl" | "linkedinprofile" | "linkedinprofileurl" | "linkedinlink" => Field::Linkedin,
        "city" | "personcity" | "mailingcity" | "town" | "ort" | "stadt" | "ciudad" | "ville" => Field::City,
        "state" | "province" | "region" | "statecode" | "personstate" | "mailingstate" | "stateprovince" | "stateorprovince"
        | "stateregion" | "bundesland" => Field::State,
        "country" | "personcountry" | "countrycode" | "mailingcountry" | "countryregion" | "land" | "país" | "pais" | "pays" => {
            Field::Country
        }
        "timezone" | "tz" | "localtimezone" => Field::TimeZone,
        "tags" | "tag" | "labels" | "lists" => Field::Tags,
        "" => Field::Ignore,
        _ => Field::Custom(snake(header)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_exports_map() {
        let check = |h: &str, f: Field| assert_eq!(guess_field(h), f, "{h}");
        check("First Name", Field::FirstName);
        check("first_name", Field::FirstName);
        check("FirstName", Field::FirstName);
        check("Email Address", Field::Email);
        check("Work Email", Field::Email);
        check("Account Name", Field::Company);
        check("Company Name", Field::Company);
        check("Job Title", Field::Title);
        check("Mobile Phone", Field::Phone(1));
        check("Direct Phone", Field::Phone(0));
        check("Corporate Phone", Field::Phone(3));
        check("Work Direct Phone", Field::Phone(0));
        check("Home Phone", Field::Phone(4));
        check("State/Region", Field::State);
        check("Person Linkedin Url", Field::Linkedin);
        check("Time Zone", Field::TimeZone);
        check("State/Province", Field::State);
        check("Pain Point", Field::Custom("pain_point".into()));
    }
}

#[cfg(test)]
mod names_tests {
    use super::Field;

    #[test]
    fn every_listed_name_parses_to_itself() {
        for n in Field::NAMES {
            assert_eq!(Field::parse(n).map(|f| f.name()).as_deref(), Some(*n));
        }
    }
}
