#!/usr/bin/python3
"""Checks the Debian packages of cmake/Packaging.cmake (tests/package/run.sh runs it).

  tests/package/check_deb.py ddb-server_<version>_<arch>.deb [cruddur_<version>_<arch>.deb]

For ddb-server's package:
- control fields: Package, Version, Architecture (this machine's), Maintainer,
  Section, Priority, a Description with its long text, Depends;
- contents: usr/bin/ddb-server (stripped) and its docs (README.md, LICENSE,
  copyright, the man page), nothing of cruddur;
- Depends is exactly what dpkg-shlibdeps finds for the binary, and apt can
  satisfy it (apt-get install --simulate);
- extracted with dpkg-deb -x into a temporary root, the binary starts from
  there in a user's home (HOME and the working directory a fresh folder) on a
  free 127.0.0.1 port with the default data path, serves CreateTable, PutItem
  and GetItem through boto3, stops on SIGTERM with status 0, and finds the item
  again after a restart (the default data path, ./data/ddb, is in that home).

For cruddur's (make package-test): its fields, usr/bin/cruddur and the seed's
wrapper scripts under usr/share/cruddur/bin, nothing of ddb-server, Depends as
dpkg-shlibdeps finds it, and an extracted wrapper runs the extracted binary.
"""
import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)
    return cond


def run(*cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def dep_set(depends):
    """'libc6 (>= 2.34), libz1' -> {'libc6 (>= 2.34)', 'libz1'} (whitespace normalized)."""
    return {re.sub(r"\s+", " ", d.strip()) for d in depends.split(",") if d.strip()}


def check_control(deb, package, section, word):
    fields = {}
    for name in ("Package", "Version", "Architecture", "Maintainer", "Section", "Priority",
                 "Description", "Depends"):
        fields[name] = run("dpkg-deb", "-f", deb, name).stdout.strip()
    arch = run("dpkg", "--print-architecture").stdout.strip()
    check(fields["Package"] == package, f"Package: {fields['Package']}")
    check(re.fullmatch(r"\d+\.\d+\.\d+", fields["Version"]) is not None,
          f"Version: {fields['Version']}")
    check(fields["Architecture"] == arch, f"Architecture: {fields['Architecture']} ({arch})")
    check(re.fullmatch(r"[^<>]+ <[^<>@ ]+@[^<>@ ]+>", fields["Maintainer"]) is not None,
          f"Maintainer: {fields['Maintainer']}")
    check(fields["Section"] == section, f"Section: {fields['Section']}")
    check(fields["Priority"] == "optional", f"Priority: {fields['Priority']}")
    desc = fields["Description"].splitlines()
    check(len(desc) >= 3 and word in desc[0] and all(l.startswith(" ") for l in desc[1:]),
          f"Description: {desc[0] if desc else ''!r} + {len(desc) - 1} lines of long text")
    check(fields["Depends"] != "", f"Depends: {fields['Depends']}")
    return fields


def check_contents(deb, root):
    listing = run("dpkg-deb", "-c", deb).stdout
    files = sorted(l.split()[-1].lstrip(".") for l in listing.splitlines()
                   if not l.startswith("d"))
    expected = ["/usr/bin/ddb-server", "/usr/share/doc/ddb-server/LICENSE",
                "/usr/share/doc/ddb-server/README.md", "/usr/share/doc/ddb-server/copyright",
                "/usr/share/man/man1/ddb-server.1.gz"]
    check(files == expected, "contents: " + " ".join(files))
    run("dpkg-deb", "-x", deb, root).check_returncode()
    binary = os.path.join(root, "usr/bin/ddb-server")
    check(os.access(binary, os.X_OK), "usr/bin/ddb-server is executable")
    sections = run("readelf", "-S", "-W", binary).stdout
    check(".debug_info" not in sections and ".symtab" not in sections,
          "usr/bin/ddb-server is stripped")
    with gzip.open(os.path.join(root, "usr/share/man/man1/ddb-server.1.gz"), "rt") as fh:
        man = fh.read()
    check(man.startswith(".TH DDB-SERVER 1") and "\\-\\-db\\-path" in man,
          "the man page is ddb-server's --help (.TH, --db-path)")
    if shutil.which("groff"):
        r = run("groff", "-man", "-Tutf8", "-ww", "-z", input=man)
        check(r.returncode == 0 and r.stderr.strip() == "",
              f"groff renders the man page without warnings {r.stderr.strip()[:200]}")
    copyright_ = open(os.path.join(root, "usr/share/doc/ddb-server/copyright")).read()
    check("License: Apache-2.0" in copyright_, "copyright: License: Apache-2.0")
    return binary


def check_depends(deb, package, binary, depends, work):
    # dpkg-shlibdeps wants a debian/control naming the package (the package's
    # files are under debian/<package>, where they were extracted).
    with open(os.path.join(work, "debian/control"), "w") as fh:
        fh.write(f"Source: {package}\n\nPackage: {package}\nArchitecture: any\n")
    r = run("dpkg-shlibdeps", "-O", "-e", binary, cwd=work)
    m = re.search(r"^shlibs:Depends=(.*)$", r.stdout, re.M)
    check(r.returncode == 0 and m is not None,
          "dpkg-shlibdeps ran" + (f": {r.stderr.strip()[:300]}" if m is None else ""))
    if m:
        want, got = dep_set(m.group(1)), dep_set(depends)
        check(want == got, "Depends equals dpkg-shlibdeps's "
              f"(missing: {sorted(want - got)}, extra: {sorted(got - want)})")
    r = run("ldd", binary)
    check("not found" not in r.stdout, f"ldd finds every library of usr/bin/{package}")
    r = run("apt-get", "install", "--simulate", "--no-install-recommends", deb)
    check(r.returncode == 0, f"apt-get install --simulate ./{package}_*.deb resolves Depends "
          + (r.stderr.strip()[-300:] if r.returncode else ""))


def start(binary, home):
    env = dict(os.environ, HOME=home)
    proc = subprocess.Popen([binary, "--port", "0"], cwd=home, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"listening on http://127\.0\.0\.1:(\d+) \(data: (.*)\)", line)
    if not check(m is not None, f"started from the package: {line.strip()!r}"):
        proc.kill()
        print(proc.communicate(timeout=10)[1][-2000:])
        return None, None
    return proc, int(m.group(1))


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        check(False, "stopped on SIGTERM within 30 s")
        return
    check(proc.returncode == 0, f"stopped on SIGTERM, status {proc.returncode} "
          + (err.strip()[-1000:] if proc.returncode else ""))


def client(port):
    import boto3
    from botocore.config import Config
    return boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}",
                        region_name="us-east-1", aws_access_key_id="local",
                        aws_secret_access_key="local",
                        config=Config(retries={"max_attempts": 1}))


def check_serves(binary, work):
    home = os.path.join(work, "home")
    os.makedirs(home)
    proc, port = start(binary, home)
    if proc is None:
        return
    try:
        ddb = client(port)
        ddb.create_table(TableName="pkg", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        ddb.get_waiter("table_exists").wait(TableName="pkg",
                                            WaiterConfig={"Delay": 0.2, "MaxAttempts": 50})
        item = {"pk": {"S": "hello"}, "n": {"N": "42"}, "b": {"B": b"\x00\x01"}}
        ddb.put_item(TableName="pkg", Item=item)
        got = ddb.get_item(TableName="pkg", Key={"pk": {"S": "hello"}}, ConsistentRead=True)
        check(got.get("Item") == item, "CreateTable, PutItem, GetItem through boto3")
    except Exception as e:  # noqa: BLE001 - any client error is the failure to report
        check(False, f"boto3 against the packaged server: {e!r}")
    finally:
        stop(proc)
    check(os.path.isdir(os.path.join(home, "data", "ddb")),
          "default data path: ./data/ddb created in the home it was started from")
    proc, port = start(binary, home)
    if proc is None:
        return
    try:
        got = client(port).get_item(TableName="pkg", Key={"pk": {"S": "hello"}})
        check(got.get("Item", {}).get("n") == {"N": "42"}, "the item is there after a restart")
    except Exception as e:  # noqa: BLE001
        check(False, f"boto3 after a restart: {e!r}")
    finally:
        stop(proc)


def check_cruddur(deb, work):
    print(f"== package test: {deb}")
    fields = check_control(deb, "cruddur", "web", "Cruddur")
    files = [l.split()[-1].lstrip(".") for l in run("dpkg-deb", "-c", deb).stdout.splitlines()
             if not l.startswith("d")]
    wanted = ["/usr/bin/cruddur", "/usr/share/cruddur/bin/ddb/_exec",
              "/usr/share/cruddur/bin/ddb/list-tables", "/usr/share/cruddur/bin/db/setup",
              "/usr/share/cruddur/bin/cognito/list-users", "/usr/share/man/man1/cruddur.1.gz",
              "/usr/share/doc/cruddur/copyright"]
    check(all(f in files for f in wanted) and not any("ddb-server" in f for f in files),
          f"contents: {len(files)} files, {' '.join(wanted)}, nothing of ddb-server")
    root = os.path.join(work, "debian", "cruddur")
    os.makedirs(root)
    run("dpkg-deb", "-x", deb, root).check_returncode()
    binary = os.path.join(root, "usr/bin/cruddur")
    check_depends(deb, "cruddur", binary, fields["Depends"], work)
    r = run(os.path.join(root, "usr/share/cruddur/bin/ddb/list-tables"), "--help",
            env={k: v for k, v in os.environ.items() if k != "CRUDDUR_BIN"})
    check(r.returncode == 0 and "cruddur ddb list-tables" in r.stdout,
          "usr/share/cruddur/bin/ddb/list-tables runs the extracted usr/bin/cruddur "
          + r.stderr.strip()[-300:])


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    deb = os.path.abspath(sys.argv[1])
    print(f"== package test: {deb}")
    work = tempfile.mkdtemp(prefix="cruddur-pkg.")
    try:
        fields = check_control(deb, "ddb-server", "database", "DynamoDB")
        root = os.path.join(work, "debian", "ddb-server")
        os.makedirs(root)
        binary = check_contents(deb, root)
        check_depends(deb, "ddb-server", binary, fields["Depends"], work)
        check_serves(binary, work)
        if len(sys.argv) == 3:
            check_cruddur(os.path.abspath(sys.argv[2]), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("package test: " + ("ok" if not failures else f"{len(failures)} FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
