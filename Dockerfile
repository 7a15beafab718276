# Built from the lock: requirements.txt pins every version with its hashes.
# Stage 1 installs into a virtual environment and trains the language model; stage 2 copies
# the environment and runs it as a non-root user.
FROM python:3.11-slim AS build
ENV UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY requirements-uv.txt requirements.txt requirements-build.txt ./
RUN python -m venv /opt/uv \
    && /opt/uv/bin/pip install --no-cache-dir --require-hashes --no-deps -r requirements-uv.txt \
    && /opt/uv/bin/uv venv --python /usr/local/bin/python3.11 /opt/lapor \
    && /opt/uv/bin/uv pip sync --no-cache --python /opt/lapor/bin/python --require-hashes requirements.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY connectors ./connectors
COPY dialogues ./dialogues
COPY nlu ./nlu
COPY storage ./storage
RUN /opt/uv/bin/uv pip install --no-cache --python /opt/lapor/bin/python --no-deps \
        --build-constraint requirements-build.txt . \
    && /opt/lapor/bin/lapor nlu train

FROM python:3.11-slim
RUN useradd --system --create-home --home-dir /home/lapor --uid 10001 lapor
COPY --from=build /opt/lapor /opt/lapor
ENV PATH=/opt/lapor/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
USER lapor
WORKDIR /home/lapor
EXPOSE 8000
CMD ["lapor", "serve"]
