# Stands in for kafka-python's test/service.py, which its PyPI source distribution leaves out although
# test/integration/fixtures.py imports it. Only ExternalService is used here (KAFKA_URI: a broker
# already running); spawning Kafka or ZooKeeper from the suite is not supported.
import logging

__all__ = ['ExternalService', 'SpawnedService']

log = logging.getLogger(__name__)


class ExternalService:
    def __init__(self, host, port):
        log.info("Using already running service at %s:%d", host, port)
        self.host = host
        self.port = port

    def open(self):
        pass

    def close(self):
        pass

    def dump_logs(self):
        pass

    def wait_for(self, pattern, timeout=30):
        pass


class SpawnedService:
    def __init__(self, args=None, env=None):
        raise RuntimeError('spawning brokers is not supported here: set KAFKA_URI to a running broker')
