use super::*;

fn at(line: u32, column: u32) -> TextPosition {
    TextPosition::new(line, column)
}

/// A pretty-printed policy with two statements; positions counted by hand:
/// line 3 is `  "Statement": [` with `[` in column 16; the statements' braces are in column 5 of
/// lines 4, 9 (`},`), 10 and 14.
#[test]
fn multi_line_policy_with_two_statements() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"A\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    },\n    {\n      \"Effect\": \"Deny\",\n      \"Action\": \"s3:*\",\n      \"Resource\": \"arn:aws:s3:::secret/*\"\n    }\n  ]\n}\n";
    let spans = statement_spans(text);
    assert_eq!(
        spans,
        [
            StatementSpan {
                open: at(4, 5),
                close: at(9, 5),
                simulator_start: at(3, 17),
                simulator_end: at(9, 6),
            },
            StatementSpan {
                open: at(10, 5),
                close: at(14, 5),
                simulator_start: at(9, 6),
                simulator_end: at(14, 6),
            },
        ]
    );
    // The braces are where the text says.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[3].chars().nth(4), Some('{'));
    assert_eq!(lines[8].chars().nth(4), Some('}'));
}

/// The AWS CLI's `simulate-custom-policy` example: one line, `Statement` a single object whose
/// `{` is in column 37 and `}` in column 166; IAM reports 38 and 167.
#[test]
fn one_line_policy_with_a_statement_object() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}"#;
    let spans = statement_spans(text);
    assert_eq!(
        spans,
        [StatementSpan {
            open: at(1, 37),
            close: at(1, 166),
            simulator_start: at(1, 38),
            simulator_end: at(1, 167),
        }]
    );
}

/// A recorded `SimulateCustomPolicy` response for this (compact) bucket policy reported the first
/// statement at 38..248 and the second at 248..470.
#[test]
fn one_line_policy_with_two_statements_matches_a_recording() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"*","Resource":["arn:aws:s3:::tims-fancy-bucket/*","arn:aws:s3:::tims-fancy-bucket"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"DenyTimDelete","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::tims-fancy-bucket/*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::112233445566:role/tims-test-role"}}}]}"#;
    let spans = statement_spans(text);
    assert_eq!(spans.len(), 2);
    assert_eq!((spans[0].open, spans[0].close), (at(1, 38), at(1, 247)));
    assert_eq!(
        (spans[0].simulator_start, spans[0].simulator_end),
        (at(1, 38), at(1, 248))
    );
    assert_eq!((spans[1].open, spans[1].close), (at(1, 249), at(1, 469)));
    assert_eq!(
        (spans[1].simulator_start, spans[1].simulator_end),
        (at(1, 248), at(1, 470))
    );
}

/// Braces, brackets, quotes and the word `Statement` inside strings do not confuse the scanner.
#[test]
fn strings_are_skipped() {
    let text = r#"{"Version":"2012-10-17","Id":"x}{\"Statement\":[","Statement":[{"Sid":"a}]\"{","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let spans = statement_spans(text);
    assert_eq!(spans.len(), 1);
    assert_eq!((spans[0].open, spans[0].close), (at(1, 64), at(1, 124)));
    assert_eq!(spans[0].simulator_start, at(1, 64));
}

/// `\r\n` and a lone `\r` each end one line.
#[test]
fn carriage_returns_end_lines() {
    let statement = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;
    let text = format!("{{\r\n\"Statement\": [\r{statement}\r\n]\r\n}}");
    let spans = statement_spans(&text);
    assert_eq!(
        spans,
        [StatementSpan {
            open: at(3, 1),
            close: at(3, 46),
            simulator_start: at(2, 15),
            simulator_end: at(3, 47),
        }]
    );
}

#[test]
fn no_statement_gives_no_spans() {
    assert!(statement_spans(r#"{"Version":"2012-10-17"}"#).is_empty());
    assert!(statement_spans(r#"{"Statement":"x"}"#).is_empty());
    assert!(statement_spans("not json").is_empty());
    assert!(statement_spans(r#"{"Statement":[{"Effect":"Allow""#).is_empty());
}

/// The spans line up with the parsed statements, nested objects and arrays included.
#[test]
fn spans_follow_document_order() {
    let text = r#"{"Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*","Condition":{"StringEquals":{"a:b":["x","y"]}}},
{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}, {"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#;
    let doc = crate::PolicyDocument::parse(text, crate::PolicyType::Identity)
        .unwrap_or_else(|e| panic!("{e}"));
    let spans = statement_spans(text);
    assert_eq!(spans.len(), doc.statements.len());
    assert_eq!(spans[1].open, at(2, 1));
    assert_eq!(spans[1].simulator_start, at(1, 113));
    assert_eq!(spans[2].open, at(2, 62));
    assert_eq!(spans[2].simulator_start, at(2, 60));
}

/// The `SimulatePrincipalPolicy` API reference's first example: this input policy's statement
/// was reported from line 3 column 16 (just after the `{` of `  "Statement":{`) to line 7
/// column 4 (just after the `}` of `  }`).
#[test]
fn api_reference_example() {
    let text = "{\n  \"Version\":\"2012-10-17\",\n  \"Statement\":{\n    \"Effect\":\"Allow\",\n    \"Action\":\"s3:PutObject\",\n    \"Resource\":\"arn:aws:s3:::my-test-bucket\"\n  }\n}";
    let spans = statement_spans(text);
    assert_eq!(spans.len(), 1);
    assert_eq!(
        (spans[0].simulator_start, spans[0].simulator_end),
        (at(3, 16), at(7, 4))
    );
    assert_eq!((spans[0].open, spans[0].close), (at(3, 15), at(7, 3)));
}
