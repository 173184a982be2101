using System;

namespace IotyDevice.Simulator
{
    internal static class Program
    {
        private static int Main(string[] argv)
        {
            string error;
            if (argv.Length > 0 && argv[0] == MonitorArgs.Command) return Monitor(argv);
            SimulatorArgs args = SimulatorArgs.Parse(argv, out error);
            if (args == null)
            {
                Console.Error.WriteLine("error: " + error);
                Console.Error.WriteLine();
                Console.Error.WriteLine(SimulatorArgs.Usage);
                return 1;
            }
            if (args.Help)
            {
                Console.WriteLine(SimulatorArgs.Usage);
                return 0;
            }
            using (var simulation = new Simulation(args, Console.Out))
            {
                return simulation.Run(Console.In, args.Once || Console.IsInputRedirected);
            }
        }

        private static int Monitor(string[] argv)
        {
            string error;
            MonitorArgs args = MonitorArgs.Parse(argv, 1, out error);
            if (args == null || args.Help)
            {
                if (args == null) Console.Error.WriteLine("error: " + error + Environment.NewLine);
                (args == null ? Console.Error : Console.Out).WriteLine(MonitorArgs.Usage);
                return args == null ? MonitorCommand.ExitUsage : MonitorCommand.ExitOk;
            }
            return MonitorCommand.Run(args, Console.Out);
        }
    }
}
