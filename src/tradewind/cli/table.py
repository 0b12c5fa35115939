"""The command table: each CLI command, its arguments and the "module:function" that handles it.

Handlers are imported only after dispatch, so `airflow --help` and `airflow version` stay instant.
A handler takes the parsed argparse namespace and returns an exit code (None means 0).
"""

from __future__ import annotations

from typing import Any


class Arg:
    """One argparse argument: its flags and keyword options."""

    __slots__ = ("flags", "options")

    def __init__(self, flags: tuple[str, ...], options: dict[str, Any]) -> None:
        self.flags, self.options = flags, options


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


class Command:
    """A CLI command: its words (("dags", "list")), handler, one-line help and arguments.

    A plain class rather than a dataclass: `dataclasses` imports `inspect`, which would double the
    start-up time of `airflow version`.
    """

    __slots__ = ("words", "handler", "help", "args")

    def __init__(self, words: tuple[str, ...], handler: str, help: str, args: tuple[Arg, ...] = ()) -> None:
        self.words, self.handler, self.help, self.args = words, handler, help, args


OUTPUT = arg("-o", "--output", choices=("table", "json", "yaml", "plain"), default="table",
             help="Output format (default: table)")
YES = arg("-y", "--yes", action="store_true", help="Do not ask for confirmation")
DAG_ID = arg("dag_id", help="The DAG's id")
TASK_ID = arg("task_id", help="The task's id")
LOGICAL_DATE_OPT = arg("logical_date", nargs="?", default=None, help="Logical date (ISO 8601); default: now")
CONF = arg("-c", "--conf", default=None, help="JSON string: the run's conf")
SUBDIR = arg("-S", "--subdir", default=None, help="DAGs folder to read instead of [core] dags_folder")

COMMANDS: tuple[Command, ...] = (
    Command(("version",), "tradewind.cli.version_cmd:show_version", "Show the version"),
    Command(("config", "list"), "tradewind.cli.config_cmd:list_config", "List the effective options",
            (arg("--section", default=None, help="Only this section"),
             arg("--defaults", action="store_true", help="Show defaults, ignoring airflow.cfg and env vars"))),
    Command(("config", "get-value"), "tradewind.cli.config_cmd:get_value", "Print one option's value",
            (arg("section"), arg("option"))),
    Command(("dags", "test"), "tradewind.cli.dags_test:dags_test", "Run one DAG run in this process and report",
            (DAG_ID, LOGICAL_DATE_OPT, CONF, SUBDIR)),
    Command(("scheduler",), "tradewind.cli.scheduler_cmd:scheduler", "Run the scheduler (and the DAG processor)"),
    Command(("standalone",), "tradewind.cli.standalone_cmd:standalone",
            "Run everything (DB set-up, DAG processor, scheduler, web server) for a laptop",
            (arg("-p", "--port", type=int, default=None, help="Web server port (default: [webserver] web_server_port)"),
             arg("-H", "--hostname", default=None, help="Address the web server binds (default: [webserver] web_server_host)"))),
    Command(("dag-processor",), "tradewind.cli.scheduler_cmd:dag_processor",
            "Parse DAG files on their own ([scheduler] standalone_dag_processor = True)"),
    Command(("dags", "trigger"), "tradewind.cli.dag_control_cmd:trigger", "Create a manual run of a DAG",
            (DAG_ID, CONF, arg("-r", "--run-id", default=None, help="The run's id (default: manual__<logical date>)"),
             arg("-l", "--logical-date", "-e", "--exec-date", dest="logical_date", default=None,
                 help="Logical date (default: now)"), OUTPUT)),
    Command(("dags", "pause"), "tradewind.cli.dag_control_cmd:pause", "Pause a DAG", (DAG_ID,)),
    Command(("dags", "unpause"), "tradewind.cli.dag_control_cmd:unpause", "Unpause a DAG", (DAG_ID,)),
    Command(("dags", "state"), "tradewind.cli.dag_control_cmd:state", "Print the state of a DAG run",
            (DAG_ID, arg("run_or_date", metavar="RUN_ID_OR_LOGICAL_DATE"))),
    Command(("dags", "delete"), "tradewind.cli.dag_control_cmd:delete", "Delete every record of a DAG",
            (DAG_ID, YES)),
    Command(("dags", "next-execution"), "tradewind.cli.dag_control_cmd:next_execution",
            "Print the logical date of the DAG's next scheduled run", (DAG_ID,)),
    Command(("tasks", "clear"), "tradewind.cli.dag_control_cmd:tasks_clear", "Clear task instances so they run again",
            (DAG_ID, arg("-t", "--task-regex", default=None, help="Only tasks whose id matches this regex"),
             arg("-d", "--downstream", action="store_true", help="Also their downstream tasks"),
             arg("-u", "--upstream", action="store_true", help="Also their upstream tasks"),
             arg("-s", "--start-date", default=None), arg("-e", "--end-date", default=None),
             arg("-f", "--only-failed", action="store_true", help="Only failed and upstream_failed instances"),
             YES)),
    Command(("tasks", "state"), "tradewind.cli.dag_control_cmd:tasks_state", "Print a task instance's state",
            (DAG_ID, TASK_ID, arg("run_or_date", metavar="RUN_ID_OR_LOGICAL_DATE"),
             arg("--map-index", type=int, default=-1))),
    Command(("tasks", "run"), "tradewind.cli.dag_control_cmd:tasks_run", "Run one try of a task instance here",
            (DAG_ID, TASK_ID, arg("run_or_date", metavar="RUN_ID_OR_LOGICAL_DATE"),
             arg("--map-index", type=int, default=-1))),
    Command(("dags", "list-runs"), "tradewind.cli.dag_runs_cmd:list_runs", "List the runs of a DAG",
            (arg("dag_id", nargs="?", default=None, help="The DAG's id"),
             arg("-d", "--dag-id", dest="dag_id_option", default=None, help="The DAG's id (Airflow 2's spelling)"),
             OUTPUT, arg("--state", default=None, help="Only runs in this state"),
             arg("--no-backfill", action="store_true", help="Leave out backfill runs"),
             arg("-s", "--start-date", default=None), arg("-e", "--end-date", default=None))),
    Command(("tasks", "states-for-dag-run"), "tradewind.cli.dag_runs_cmd:states_for_dag_run",
            "Show the state of every task instance of a run", (DAG_ID, arg("run_id"), OUTPUT)),
    Command(("dags", "list"), "tradewind.cli.dags_cmd:list_dags", "Parse the DAGs folder and list its DAGs",
            (OUTPUT, SUBDIR)),
    Command(("dags", "list-import-errors"), "tradewind.cli.dags_cmd:list_import_errors",
            "Parse the DAGs folder and list the files that failed to import", (OUTPUT, SUBDIR)),
    Command(("dags", "show"), "tradewind.cli.dags_cmd:show_dag", "Print a DAG as Graphviz dot text (or a text tree)",
            (DAG_ID, SUBDIR, arg("--tree", action="store_true", help="Print an indented text tree instead"))),
    Command(("dags", "details"), "tradewind.cli.dags_cmd:dag_details", "Show a DAG's attributes",
            (DAG_ID, OUTPUT, SUBDIR)),
    Command(("dags", "report"), "tradewind.cli.dags_cmd:report_dags", "Parse the DAGs folder and show per-file statistics",
            (OUTPUT, SUBDIR)),
    Command(("dags", "reserialize"), "tradewind.cli.dags_cmd:reserialize",
            "Parse the DAGs folder and store every DAG's serialized form", (SUBDIR,)),
    Command(("tasks", "list"), "tradewind.cli.tasks_list_cmd:list_tasks", "List the tasks of a DAG",
            (DAG_ID, SUBDIR, arg("-t", "--tree", action="store_true", help="Print the tasks as a tree"))),
    Command(("tasks", "test"), "tradewind.cli.tasks_test_cmd:tasks_test",
            "Run one task now in this process, ignoring dependencies; its state is not recorded",
            (DAG_ID, TASK_ID, LOGICAL_DATE_OPT, SUBDIR,
             arg("-t", "--task-params", default=None, help="JSON object: params for the task (override the DAG's)"),
             arg("-m", "--map-index", type=int, default=-1, help="Map index of a mapped task"))),
    Command(("db", "init"), "tradewind.cli.db_cmd:init",
            "Write airflow.cfg, create the dags and logs folders and the metadata database"),
    Command(("db", "migrate"), "tradewind.cli.db_cmd:migrate_db", "Upgrade the metadata database to the newest schema"),
    Command(("db", "reset"), "tradewind.cli.db_cmd:reset", "Drop every table and rebuild the metadata database",
            (YES,)),
    Command(("db", "check"), "tradewind.cli.db_cmd:check", "Check that the metadata database is reachable and current"),
    Command(("variables", "get"), "tradewind.cli.variables_cmd:get", "Print a variable's value",
            (arg("key"), arg("-d", "--default", default=None, help="Value to print when the variable does not exist"),
             arg("-j", "--json", action="store_true", help="Decode the value as JSON"))),
    Command(("variables", "set"), "tradewind.cli.variables_cmd:set_", "Create or replace a variable",
            (arg("key"), arg("value"), arg("--description", default=None, help="What the variable is for"),
             arg("-j", "--json", action="store_true", help="The value is JSON: check it and store it indented"))),
    Command(("variables", "list"), "tradewind.cli.variables_cmd:list_", "List the variables' keys", (OUTPUT,)),
    Command(("variables", "delete"), "tradewind.cli.variables_cmd:delete", "Delete a variable", (arg("key"),)),
    Command(("variables", "import"), "tradewind.cli.variables_cmd:import_", "Import variables from a JSON file",
            (arg("file"), arg("-a", "--action-on-existing-key", choices=("overwrite", "fail", "skip"),
                              default="overwrite", help="What to do with keys that exist (default: overwrite)"))),
    Command(("variables", "export"), "tradewind.cli.variables_cmd:export",
            "Export every variable to a JSON file ('-' for stdout)", (arg("file"),)),
    Command(("connections", "add"), "tradewind.cli.connections_cmd:add", "Add a connection",
            (arg("conn_id"), arg("--conn-uri", default=None, help="The connection as a URI"),
             arg("--conn-json", default=None, help="The connection as a JSON object"),
             arg("--conn-type", default=None), arg("--conn-host", default=None), arg("--conn-login", default=None),
             arg("--conn-password", default=None), arg("--conn-schema", default=None),
             arg("--conn-port", default=None), arg("--conn-extra", default=None, help="JSON object of extra fields"),
             arg("--conn-description", default=None))),
    Command(("connections", "get"), "tradewind.cli.connections_cmd:get", "Show a connection",
            (arg("conn_id"), OUTPUT)),
    Command(("connections", "list"), "tradewind.cli.connections_cmd:list_", "List connections (secrets masked)",
            (OUTPUT, arg("--conn-id", default=None, help="Only this connection"))),
    Command(("connections", "delete"), "tradewind.cli.connections_cmd:delete", "Delete a connection",
            (arg("conn_id"),)),
    Command(("pools", "list"), "tradewind.cli.pools_cmd:list_", "List pools", (OUTPUT,)),
    Command(("pools", "get"), "tradewind.cli.pools_cmd:get", "Show a pool", (arg("pool"), OUTPUT)),
    Command(("pools", "set"), "tradewind.cli.pools_cmd:set_", "Create or update a pool",
            (arg("pool"), arg("slots", type=int), arg("description"),
             arg("--include-deferred", action="store_true", help="Deferred tasks hold slots of this pool"), OUTPUT)),
    Command(("pools", "delete"), "tradewind.cli.pools_cmd:delete", "Delete a pool", (arg("pool"), OUTPUT)),
    Command(("pools", "import"), "tradewind.cli.pools_cmd:import_", "Create or update pools from a JSON file",
            (arg("file"),)),
    Command(("pools", "export"), "tradewind.cli.pools_cmd:export", "Export every pool to a JSON file", (arg("file"),)),
    Command(("webserver",), "tradewind.cli.webserver_cmd:webserver", "Start the web server (the UI)",
            (arg("-p", "--port", type=int, default=None, help="Port (default: [webserver] web_server_port)"),
             arg("-H", "--hostname", default=None, help="Address to bind (default: [webserver] web_server_host)"),
             arg("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug")),
             arg("--access-log", action="store_true", help="Log every request"))),
    Command(("api-server",), "tradewind.cli.webserver_cmd:webserver", "Start the web server (Airflow 3 name of webserver)",
            (arg("-p", "--port", type=int, default=None, help="Port (default: [webserver] web_server_port)"),
             arg("-H", "--host", "--hostname", dest="hostname", default=None,
                 help="Address to bind (default: [webserver] web_server_host)"),
             arg("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug")),
             arg("--access-log", action="store_true", help="Log every request"))),
    Command(("users", "create"), "tradewind.cli.users_cmd:create", "Create a user of the web UI",
            (arg("-u", "--username", required=True), arg("-p", "--password", default=None),
             arg("--use-random-password", action="store_true", help="Make up a password instead of asking"),
             arg("-r", "--role", required=True, help="Admin, Op, User or Viewer"),
             arg("-e", "--email", required=True), arg("-f", "--firstname", required=True),
             arg("-l", "--lastname", required=True))),
    Command(("users", "list"), "tradewind.cli.users_cmd:list_", "List the users of the web UI", (OUTPUT,)),
    Command(("users", "delete"), "tradewind.cli.users_cmd:delete", "Delete a user of the web UI",
            (arg("-u", "--username", required=True),)),
)
