# Integration Circles: a slim, two-stage image.
#
#   docker build -t integration-circles .
#   docker compose up            # with MongoDB (replica set) and Redis
#
# The base image is pinned by tag (patch release and Debian suite) in both
# stages; the builder's virtual environment only works on the same Python.

# --- builder: resolve and install the dependencies into /opt/venv ----------
FROM python:3.11.14-slim-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# Only what the build backend needs (pyproject names README.md as its readme).
COPY pyproject.toml README.md ./
COPY server/ ./server/
# `pip install .` resolves every dependency from pyproject.toml. The project
# itself is then removed from the venv again: the final stage runs the code
# from /app, where server/settings.py finds ../config next to the package.
RUN pip install --no-cache-dir . \
 && pip uninstall --yes integration-circles \
 && find /opt/venv -type d -name __pycache__ -prune -exec rm -rf {} +

# --- final: the venv, the code, the config and the web client --------------
FROM python:3.11.14-slim-bookworm

LABEL org.opencontainers.image.title="integration-circles" \
      org.opencontainers.image.description="Moderated, durable, ordered chat circles."

RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
COPY server/ ./server/
COPY config/ ./config/
COPY client_web/ ./client_web/
# The only writable place: the embedded default keeps its data (and its
# generated JWT secret) here. Mount a volume on it to keep them.
RUN mkdir -p /app/data && chown app:app /app/data

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    IC_HTTP__HOST=0.0.0.0 \
    IC_LOG__FORMAT=json

USER 10001:10001

EXPOSE 8080

# No curl in slim images: ask the liveness endpoint with the standard library.
# urlopen raises on any non-2xx answer or a refused connection, so exit != 0.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health/live', timeout=3)"]

CMD ["python", "-m", "server", "serve"]
