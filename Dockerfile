# fwerror as a container: the wheel (knowledge inside, as bot/_knowledge) on a slim Python.
#
#   docker build -t fwerror .
#   docker run --rm --env-file .env fwerror
#
# BASE_IMAGE must provide `python` (3.11+) with pip; override it to build from a local or
# mirrored base. Mount your own knowledge and set FWERROR_KNOWLEDGE_DIR to serve it instead.
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
# The bot's wheel and every dependency's, so the runtime stage installs with no index.
RUN python -m pip wheel --no-cache-dir --wheel-dir /wheels ".[postgres,ocr]"

FROM ${BASE_IMAGE}
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
# The OCR engine (the ocr extra: screenshots) needs OpenCV's two system libraries.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/*
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    python -m pip install --no-cache-dir --no-index --find-links /wheels "fwerror[postgres,ocr]" \
    && useradd --uid 10001 --user-group --create-home --home-dir /app fwerror
USER fwerror
WORKDIR /app
# /healthz when FWERROR_METRICS_PORT is set; otherwise, whether the bot process holds its lock.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
# The bot closes the gateway cleanly on SIGTERM and reloads knowledge on SIGHUP.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "bot"]
