"""
UNO client of one warm LibreOffice process (integrations/office/warm-office-converter.ts starts one per soffice).

  python3 uno-bridge.py <pipe-name> <soffice-process-group> <connect-timeout-seconds> <profile-url>

Connects to `soffice --accept=pipe,name=<pipe-name>;urp;`, prints {"ready": true}, then reads one JSON request per
line on stdin: {"id": n, "src": "/abs/in.docx", "dst": "/abs/out.pdf"} and answers {"id": n, "ok": true} or
{"id": n, "ok": false, "error": "..."} on stdout. Documents are loaded hidden, read-only, with macros and link
updates off. If the office process goes away the bridge exits (code 3); when stdin closes (the Node process is
gone) it kills the soffice process group, so no LibreOffice outlives its owner, and removes the pipe sockets the
killed soffice leaves under /tmp (its accept pipe and the profile's single-instance pipe).
"""
import hashlib
import json
import os
import signal
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException
from com.sun.star.uno import RuntimeException

NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def kill_office(group):
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        pass


def remove_pipes(pipe, profile_url):
    # A killed soffice leaves its pipe sockets under /tmp (the same names as integrations/office/office-pipes.ts).
    digest = hashlib.md5(profile_url.encode("utf-16-le")).digest()
    for name in (pipe, "SingleOfficeIPC_" + "".join("%x" % b for b in digest)):
        try:
            os.remove("/tmp/OSL_PIPE_%d_%s" % (os.getuid(), name))
        except OSError:
            pass


def connect(pipe, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def convert(desktop, src, dst):
    load = (
        prop("Hidden", True),
        prop("ReadOnly", True),
        prop("MacroExecutionMode", NEVER_EXECUTE),
        prop("UpdateDocMode", NO_UPDATE),
        prop("FilterName", "MS Word 2007 XML"),
    )
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, load)
    if doc is None:
        raise ValueError("LibreOffice could not open the document")
    try:
        doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "writer_pdf_Export"),))
    finally:
        try:
            doc.close(True)
        except Exception:
            doc.dispose()


def main():
    pipe, group, timeout, profile_url = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    try:
        desktop = connect(pipe, time.time() + timeout)
    except Exception as err:  # noqa: BLE001 - reported to the owner, which restarts the process
        say({"ready": False, "error": "cannot connect: %s" % err})
        sys.exit(2)
    say({"ready": True})
    for line in sys.stdin:
        try:
            req = json.loads(line)
        except ValueError:
            continue
        try:
            convert(desktop, req["src"], req["dst"])
            say({"id": req["id"], "ok": True})
        except (DisposedException, RuntimeException) as err:
            # The office process is gone or its bridge broke: tell the owner and stop (it restarts both).
            say({"id": req["id"], "ok": False, "fatal": True, "error": str(err) or err.__class__.__name__})
            sys.exit(3)
        except Exception as err:  # noqa: BLE001 - a document LibreOffice cannot convert
            say({"id": req["id"], "ok": False, "error": str(err) or err.__class__.__name__})
    kill_office(group)
    remove_pipes(pipe, profile_url)


if __name__ == "__main__":
    main()
