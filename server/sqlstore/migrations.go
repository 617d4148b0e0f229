package sqlstore

// migrations is the one schema of both engines, in versions applied in order at start; a
// version is never edited once released, only followed by another. {{id}} is the engine's
// auto-increment primary key, {{blob}} its byte string type.
var migrations = []string{
	1: `
CREATE TABLE orgs (
	id {{id}},
	kind TEXT NOT NULL,
	name TEXT NOT NULL UNIQUE,
	city BIGINT NOT NULL DEFAULT 0,
	profile {{blob}},
	created BIGINT NOT NULL
);
CREATE TABLE users (
	id {{id}},
	org BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	public_key {{blob}},
	fingerprint TEXT NOT NULL DEFAULT '',
	created BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_public_key ON users(public_key);
CREATE TABLE tokens (
	hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id),
	kind TEXT NOT NULL,
	created BIGINT NOT NULL,
	expires BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE rosters (
	id {{id}},
	district BIGINT NOT NULL REFERENCES orgs(id),
	file_name TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	data {{blob}} NOT NULL,
	parsed TEXT NOT NULL,
	created BIGINT NOT NULL,
	by_user BIGINT NOT NULL
);
CREATE INDEX rosters_district ON rosters(district, id);
CREATE TABLE packages (
	id {{id}},
	district BIGINT NOT NULL REFERENCES orgs(id),
	name TEXT NOT NULL,
	start_date TEXT NOT NULL,
	end_date TEXT NOT NULL,
	created BIGINT NOT NULL
);
CREATE TABLE assignments (
	package BIGINT NOT NULL REFERENCES packages(id),
	district BIGINT NOT NULL,
	provider BIGINT NOT NULL REFERENCES orgs(id),
	credit_code TEXT NOT NULL,
	assigned BIGINT NOT NULL,
	PRIMARY KEY (package, credit_code)
);
CREATE INDEX assignments_provider ON assignments(provider, credit_code);
CREATE INDEX assignments_district ON assignments(district);
CREATE TABLE submissions (
	seq {{id}},
	doc_id TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	district BIGINT NOT NULL REFERENCES orgs(id),
	provider BIGINT NOT NULL REFERENCES orgs(id),
	uploader BIGINT NOT NULL REFERENCES users(id),
	file_name TEXT NOT NULL,
	credit_code TEXT NOT NULL,
	name TEXT NOT NULL,
	supersedes TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	facts TEXT NOT NULL,
	original {{blob}} NOT NULL,
	document {{blob}} NOT NULL,
	pdf {{blob}},
	created BIGINT NOT NULL,
	updated BIGINT NOT NULL,
	accepted BIGINT NOT NULL DEFAULT 0,
	UNIQUE (doc_id, sha256)
);
-- One stored submission per document id; further contents of the same id are kept as conflicts.
CREATE UNIQUE INDEX submissions_one_per_id ON submissions(doc_id) WHERE state <> 'conflict';
CREATE INDEX submissions_district ON submissions(district, seq);
CREATE INDEX submissions_provider ON submissions(provider, seq);
CREATE TABLE audit (
	id {{id}},
	at BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	actor TEXT NOT NULL,
	org BIGINT NOT NULL,
	district BIGINT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	detail TEXT NOT NULL
);
CREATE INDEX audit_district ON audit(district, id);
`, // 2: retrofit projects after the diagnosis (issue 17). Money in yuan; dates YYYY-MM-DD, ''
	// until the stage is reached.
	2: `
CREATE TABLE projects (
	id {{id}},
	district BIGINT NOT NULL REFERENCES orgs(id),
	credit_code TEXT NOT NULL,
	name TEXT NOT NULL,
	stage TEXT NOT NULL,
	planned_investment BIGINT NOT NULL DEFAULT 0,
	actual_investment BIGINT NOT NULL DEFAULT 0,
	subsidy BIGINT NOT NULL DEFAULT 0,
	applied TEXT NOT NULL DEFAULT '',
	approved TEXT NOT NULL DEFAULT '',
	started TEXT NOT NULL DEFAULT '',
	accepted TEXT NOT NULL DEFAULT '',
	created BIGINT NOT NULL,
	updated BIGINT NOT NULL
);
CREATE INDEX projects_district ON projects(district, credit_code);
`, // 3: a consultant's retry of an upload is found by the content's hash, before verifying it again.
	3: `
CREATE INDEX submissions_sha256 ON submissions(provider, sha256);
`, // 4: a retrofit project registered from a firm's plan names the diagnosis (document id) and the
	// plan project (catalogue id) it comes from; free-text projects, and every row from before,
	// keep '' in both. A plan project is registered once per firm: the partial unique index.
	4: `
ALTER TABLE projects ADD COLUMN diagnosis TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN plan_project TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX projects_plan_once ON projects(district, credit_code, plan_project) WHERE plan_project <> '';
`, // 5: version 3 indexed the seal's hash of the canonical content, which a retry cannot know
	// without parsing the upload; a retry is found by the SHA-256 of the document's bytes. Rows
	// stored before keep '' and take the full path, which finds them as before.
	5: `
ALTER TABLE submissions ADD COLUMN document_sha256 TEXT NOT NULL DEFAULT '';
DROP INDEX submissions_sha256;
CREATE INDEX submissions_document_sha256 ON submissions(provider, document_sha256);
`,
}

// Versions is the number of schema versions (what schema_migrations records once all are applied).
func Versions() int { return len(migrations) - 1 }
