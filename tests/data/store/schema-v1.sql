-- cordond.db as schema 1 shipped it, with a little data: the store
-- must migrate it (tests/control/test_store.c, test_migration_from_v1).
PRAGMA application_id = 1128549956;
CREATE TABLE policy (
  version INTEGER PRIMARY KEY CHECK (version > 0),
  created_ms INTEGER NOT NULL, source TEXT, compiled BLOB NOT NULL,
  signed BLOB, comment TEXT NOT NULL DEFAULT '',
  applied_by TEXT NOT NULL DEFAULT '');
CREATE TABLE device (
  mac BLOB NOT NULL CHECK (length(mac) = 6),
  vlan INTEGER NOT NULL CHECK (vlan BETWEEN 0 AND 4095),
  first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,
  dataplane_id TEXT NOT NULL DEFAULT '',
  vendor TEXT NOT NULL DEFAULT '', vendor_conf REAL NOT NULL DEFAULT 0,
  type TEXT NOT NULL DEFAULT '', type_conf REAL NOT NULL DEFAULT 0,
  os TEXT NOT NULL DEFAULT '', os_conf REAL NOT NULL DEFAULT 0,
  model TEXT NOT NULL DEFAULT '', model_conf REAL NOT NULL DEFAULT 0,
  evidence TEXT CHECK (evidence IS NULL OR json_valid(evidence)),
  addresses TEXT CHECK (addresses IS NULL OR json_valid(addresses)),
  PRIMARY KEY (mac, vlan)) WITHOUT ROWID;
CREATE TABLE event (
  id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind <> ''),
  dataplane_id TEXT NOT NULL DEFAULT '',
  mac BLOB CHECK (mac IS NULL OR length(mac) = 6),
  detail TEXT CHECK (detail IS NULL OR json_valid(detail)));
CREATE INDEX event_mac ON event (mac) WHERE mac IS NOT NULL;
CREATE TABLE quarantine (
  mac BLOB PRIMARY KEY CHECK (length(mac) = 6),
  reason TEXT NOT NULL DEFAULT '', since_ms INTEGER NOT NULL,
  by TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
INSERT INTO policy VALUES (1, 111, 'src: 1', x'0801', NULL, 'old',
  'admin');
INSERT INTO policy VALUES (2, 112, 'src: 1', x'0801', NULL, 'again',
  'admin');
INSERT INTO policy VALUES (3, 113, NULL, x'0801', NULL, 'pushed',
  'admin');
INSERT INTO device (mac, vlan, first_seen_ms, last_seen_ms, vendor)
  VALUES (x'020000000001', 0, 5, 6, 'Acme');
INSERT INTO event (time_ms, kind) VALUES (7, 'policy_added');
INSERT INTO quarantine VALUES (x'020000000001', 'old', 8, 'admin');
PRAGMA user_version = 1;
