"""Example Corp's billing worker (a stand-in): checks that TLS trusts the organisation's CA, then does its job."""
import os
import ssl
import sys


def trusts_company_ca():
    context = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE"))
    subjects = [dict(item[0] for item in cert["subject"]) for cert in context.get_ca_certs()]
    return any(subject.get("organizationName") == "Example Corp" for subject in subjects)


if __name__ == "__main__":
    if not trusts_company_ca():
        print("the Example Corp root CA is not trusted", file=sys.stderr)
        sys.exit(1)
    print(f"billing-worker: Example Corp CA trusted, running as uid {os.getuid()}", flush=True)
